#include "store/user_dict_store.h"

#include <algorithm>
#include <cstdio>

namespace yuqing::store {
namespace {

Status Migrate(Database& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE user_words (word TEXT PRIMARY KEY, added_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE user_dict_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    )sql");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<UserDictStore>> UserDictStore::Open(Database& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("user_dict", 1, Migrate));
  return std::unique_ptr<UserDictStore>(new UserDictStore(db));
}

Result<std::vector<std::string>> UserDictStore::ReadWords(Database& db) {
  YQ_ASSIGN_OR_RETURN(Statement t, db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_words'"));
  YQ_ASSIGN_OR_RETURN(bool exists, t.Step());
  if (!exists) return std::vector<std::string>{};
  UserDictStore s(db);
  return s.Words();
}

Result<std::vector<UserWord>> UserDictStore::List() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT word, added_at FROM user_words ORDER BY word"));
  std::vector<UserWord> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Int(1)});
  }
  return out;
}

Result<std::vector<std::string>> UserDictStore::Words() {
  YQ_ASSIGN_OR_RETURN(auto list, List());
  std::vector<std::string> out;
  for (auto& w : list) out.push_back(std::move(w.word));
  return out;
}

Result<bool> UserDictStore::Add(const std::string& word, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT OR IGNORE INTO user_words(word, added_at) VALUES (?, ?)"));
  st.Bind(1, word).Bind(2, now);
  YQ_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Result<bool> UserDictStore::Remove(const std::string& word) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM user_words WHERE word = ?"));
  st.Bind(1, word);
  YQ_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Result<std::string> UserDictStore::IndexVersion() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM user_dict_meta WHERE key = 'index_version'"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Text(0) : std::string();
}

Status UserDictStore::SetIndexVersion(const std::string& version) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO user_dict_meta(key, value) VALUES ('index_version', ?) "
                                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  st.Bind(1, version);
  return st.Run();
}

std::string DictVersion(std::vector<std::string> words) {
  if (words.empty()) return "";
  std::sort(words.begin(), words.end());
  uint64_t h = 1469598103934665603ull;
  for (const auto& w : words) {
    for (unsigned char c : w) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // a separator no UTF-8 text contains
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Status RebuildFullTextIndex(Database& db, size_t batch, const std::function<void(int64_t, int64_t)>& progress) {
  YQ_ASSIGN_OR_RETURN(Statement count, db.Prepare("SELECT count(*), coalesce(max(rowid), 0) FROM posts"));
  YQ_ASSIGN_OR_RETURN(bool row, count.Step());
  const int64_t total = row ? count.Int(0) : 0;
  int64_t done = 0, after = -1;
  {
    Transaction tx(db);
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_RETURN_IF_ERROR(db.Exec("INSERT INTO posts_fts(posts_fts) VALUES('delete-all')"));
    YQ_RETURN_IF_ERROR(tx.Commit());
  }
  while (true) {
    Transaction tx(db);
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_ASSIGN_OR_RETURN(Statement ids, db.Prepare("SELECT max(rowid), count(*) FROM (SELECT rowid FROM posts WHERE rowid > ? "
                                                  "ORDER BY rowid LIMIT ?)"));
    ids.Bind(1, after).Bind(2, static_cast<int64_t>(batch));
    YQ_ASSIGN_OR_RETURN(bool has, ids.Step());
    if (!has || ids.IsNull(0)) break;
    const int64_t upto = ids.Int(0), n = ids.Int(1);
    YQ_ASSIGN_OR_RETURN(Statement ins, db.Prepare("INSERT INTO posts_fts(rowid, title, text) SELECT rowid, title, text "
                                                  "FROM posts WHERE rowid > ? AND rowid <= ?"));
    ins.Bind(1, after).Bind(2, upto);
    YQ_RETURN_IF_ERROR(ins.Run());
    YQ_RETURN_IF_ERROR(tx.Commit());
    after = upto;
    done += n;
    if (progress) progress(done, total);
  }
  return Status::Ok();
}

}  // namespace yuqing::store
