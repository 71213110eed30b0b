// The user dictionary on SQLite.
#include "store/sqlite/stores.h"
#include "store/user_dict_store.h"

namespace yuqing::store::sqlite {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE user_words (word TEXT PRIMARY KEY, added_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE user_dict_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    )sql");
  }
  return Status::Ok();
}

class SqliteUserDictStore final : public store::UserDictStore {
 public:
  explicit SqliteUserDictStore(Connection& db) : db_(db) {}

  Result<std::vector<UserWord>> List() override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT word, added_at FROM user_words ORDER BY word"));
    std::vector<UserWord> out;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back({st.Text(0), st.Int(1)});
    }
    return out;
  }

  Result<bool> Remove(const std::string& word) override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM user_words WHERE word = ?"));
    st.Bind(1, word);
    YQ_RETURN_IF_ERROR(st.Run());
    return db_.Changes() > 0;
  }

  Result<std::string> IndexVersion() override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM user_dict_meta WHERE key = 'index_version'"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? st.Text(0) : std::string();
  }

  Status SetIndexVersion(const std::string& version) override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO user_dict_meta(key, value) VALUES ('index_version', ?) "
                                                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    st.Bind(1, version);
    return st.Run();
  }

 protected:
  Result<bool> Has(const std::string& word) override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT 1 FROM user_words WHERE word = ?"));
    st.Bind(1, word);
    return st.Step();  // the statement is finalised on return: no read stays open
  }

  Result<int64_t> Count() override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*) FROM user_words"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? st.Int(0) : int64_t{0};
  }

  Result<bool> Insert(const std::string& word, TimeMs now) override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT OR IGNORE INTO user_words(word, added_at) VALUES (?, ?)"));
    st.Bind(1, word).Bind(2, now);
    YQ_RETURN_IF_ERROR(st.Run());
    return db_.Changes() > 0;
  }

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::UserDictStore>> OpenUserDictStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("user_dict", 1, Migrate));
  return std::unique_ptr<store::UserDictStore>(new SqliteUserDictStore(db));
}

}  // namespace yuqing::store::sqlite
