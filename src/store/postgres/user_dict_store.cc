// The user dictionary on PostgreSQL.
#include "store/postgres/stores.h"
#include "store/user_dict_store.h"

namespace yuqing::store::postgres {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE user_words (word TEXT PRIMARY KEY, added_at BIGINT NOT NULL);
      CREATE TABLE user_dict_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql");
  }
  return Status::Ok();
}

class PostgresUserDictStore final : public store::UserDictStore {
 public:
  explicit PostgresUserDictStore(Connection& db) : db_(db) {}

  Result<std::vector<UserWord>> List() override {
    // Byte order, as SQLite's BINARY collation gives, whatever the database's collation.
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT word, added_at FROM user_words ORDER BY word COLLATE \"C\""));
    std::vector<UserWord> out;
    for (int i = 0; i < r.size(); ++i) out.push_back({r.Text(i, 0), r.Int(i, 1)});
    return out;
  }

  Result<bool> Remove(const std::string& word) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("DELETE FROM user_words WHERE word = $1", Params().Add(word)));
    return r.Affected() > 0;
  }

  Result<std::string> IndexVersion() override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT value FROM user_dict_meta WHERE key = 'index_version'"));
    return r.empty() ? std::string() : r.Text(0, 0);
  }

  Status SetIndexVersion(const std::string& version) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("INSERT INTO user_dict_meta(key, value) VALUES ('index_version', $1) "
                                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                          Params().Add(version)));
    return Status::Ok();
  }

 protected:
  Result<bool> Has(const std::string& word) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT 1 FROM user_words WHERE word = $1", Params().Add(word)));
    return !r.empty();
  }

  Result<int64_t> Count() override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT count(*) FROM user_words"));
    return r.Int(0, 0);
  }

  Result<bool> Insert(const std::string& word, TimeMs now) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("INSERT INTO user_words(word, added_at) VALUES ($1, $2) "
                                          "ON CONFLICT (word) DO NOTHING",
                                          Params().Add(word).Add(now)));
    return r.Affected() > 0;
  }

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::UserDictStore>> OpenUserDictStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("user_dict", 1, Migrate));
  return std::unique_ptr<store::UserDictStore>(new PostgresUserDictStore(db));
}

}  // namespace yuqing::store::postgres
