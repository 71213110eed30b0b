#include "store/user_dict_store.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "store/open_on.h"
#include "store/sqlite/connection.h"
#include "text/utf8.h"

namespace yuqing::store {
Result<std::unique_ptr<UserDictStore>> UserDictStore::Open(Database& db) {
  return OpenOn<UserDictStore>(db, sqlite::OpenUserDictStore, postgres::OpenUserDictStore);
}

Result<std::vector<std::string>> UserDictStore::ReadWords(Database& db) {
  // Opening an up-to-date component only reads; a store without it yet has no words.
  YQ_ASSIGN_OR_RETURN(bool exists, db.HasComponent("user_dict"));
  if (!exists) return std::vector<std::string>{};
  YQ_ASSIGN_OR_RETURN(auto dict, Open(db));
  return dict->Words();
}

Result<std::vector<std::string>> UserDictStore::Words() {
  YQ_ASSIGN_OR_RETURN(auto list, List());
  std::vector<std::string> out;
  for (auto& w : list) out.push_back(std::move(w.word));
  return out;
}

Result<bool> UserDictStore::Add(const std::string& word, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(bool exists, Has(word));
  if (exists) return false;
  YQ_ASSIGN_OR_RETURN(int64_t words, Count());
  if (words >= static_cast<int64_t>(kMaxUserWords))
    return Status::TooLarge("the user dictionary holds " + std::to_string(kMaxUserWords) + " words at most");
  return Insert(word, now);
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

Result<std::string> NormalizeUserWord(const text::Normalizer& norm, const std::string& raw) {
  std::string w = norm.Normalize(raw);
  while (!w.empty() && (w.back() == ' ' || w.back() == '\t')) w.pop_back();
  while (!w.empty() && (w.front() == ' ' || w.front() == '\t')) w.erase(w.begin());
  // No '/': a word is also a path segment (DELETE /api/v1/dict/{word}), as department names are.
  if (!text::IsValidUtf8(w) || w.empty() || w.size() > 64 || w.find_first_of(" \t\r\n/") != std::string::npos)
    return Status::Invalid("a word must be 1-64 bytes of text without spaces or '/'");
  return w;
}

namespace {

// The rebuild's claim on the index (user_dict_meta 'rebuild'): a later rebuild overwrites it.
std::string NewClaim() {
  auto t = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(::getpid()) + ":" + std::to_string(static_cast<long long>(t));
}

Result<bool> StillMine(sqlite::Connection& db, const std::string& claim) {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db.Prepare("SELECT value FROM user_dict_meta WHERE key = 'rebuild'"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row && st.Text(0) == claim;
}

Status SetMeta(sqlite::Connection& db, const char* key, const std::string& value) {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db.Prepare("INSERT INTO user_dict_meta(key, value) VALUES (?, ?) "
                                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  st.Bind(1, key).Bind(2, value);
  return st.Run();
}

// Empties the index and claims the rebuild; returns the newest post to redo (0: none) and how many.
Result<std::pair<int64_t, int64_t>> StartRebuild(sqlite::Connection& db, const std::string& claim) {
  Transaction tx(db);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_RETURN_IF_ERROR(db.Exec("INSERT INTO posts_fts(posts_fts) VALUES('delete-all')"));
  YQ_RETURN_IF_ERROR(SetMeta(db, "rebuild", claim));
  YQ_ASSIGN_OR_RETURN(sqlite::Statement count, db.Prepare("SELECT coalesce(max(rowid), 0), count(*) FROM posts"));
  YQ_ASSIGN_OR_RETURN(bool row, count.Step());
  std::pair<int64_t, int64_t> out{row ? count.Int(0) : 0, row ? count.Int(1) : 0};
  count.Reset();
  YQ_RETURN_IF_ERROR(tx.Commit());
  return out;
}

// Indexes the newest `batch` posts with rowid <= upto; returns the lowest rowid done and how
// many (0, 0 when none are left), or Conflict when a later rebuild took over.
Result<std::pair<int64_t, int64_t>> RebuildBatch(sqlite::Connection& db, const std::string& claim, int64_t upto, size_t batch) {
  Transaction tx(db);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(bool mine, StillMine(db, claim));
  if (!mine) return Status::Conflict("another rebuild of the full-text index took over");
  YQ_ASSIGN_OR_RETURN(sqlite::Statement ids, db.Prepare("SELECT min(rowid), count(*) FROM (SELECT rowid FROM posts WHERE rowid <= ? "
                                                "ORDER BY rowid DESC LIMIT ?)"));
  ids.Bind(1, upto).Bind(2, static_cast<int64_t>(batch));
  YQ_ASSIGN_OR_RETURN(bool has, ids.Step());
  if (!has || ids.IsNull(0)) return std::pair<int64_t, int64_t>{0, 0};
  const int64_t from = ids.Int(0), n = ids.Int(1);
  ids.Reset();
  YQ_ASSIGN_OR_RETURN(sqlite::Statement ins, db.Prepare("INSERT INTO posts_fts(rowid, title, text) SELECT rowid, title, text "
                                                "FROM posts WHERE rowid >= ? AND rowid <= ?"));
  ins.Bind(1, from).Bind(2, upto);
  YQ_RETURN_IF_ERROR(ins.Run());
  YQ_RETURN_IF_ERROR(tx.Commit());
  return std::pair<int64_t, int64_t>{from, n};
}

Status FinishRebuild(sqlite::Connection& db, const std::string& claim, const std::string& version) {
  Transaction tx(db);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(bool mine, StillMine(db, claim));
  if (!mine) return Status::Conflict("another rebuild of the full-text index took over");
  YQ_RETURN_IF_ERROR(SetMeta(db, "index_version", version));
  YQ_RETURN_IF_ERROR(db.Exec("DELETE FROM user_dict_meta WHERE key = 'rebuild'"));
  return tx.Commit();
}

}  // namespace

Status RebuildFullTextIndex(Database& session, const std::string& version, size_t batch, const RebuildProgress& progress) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  YQ_ASSIGN_OR_RETURN(auto dict, UserDictStore::Open(db));  // the meta table
  (void)dict;
  const std::string claim = NewClaim();
  YQ_ASSIGN_OR_RETURN(auto start, StartRebuild(db, claim));
  int64_t upto = start.first, done = 0;
  const int64_t total = start.second;
  if (progress && !progress(0, total)) return Status::Unavailable("the rebuild was stopped");
  while (upto > 0) {
    YQ_ASSIGN_OR_RETURN(auto step, RebuildBatch(db, claim, upto, std::max<size_t>(batch, 1)));
    if (step.second == 0) break;
    upto = step.first - 1;
    done += step.second;
    if (progress && !progress(done, total)) return Status::Unavailable("the rebuild was stopped");
  }
  return FinishRebuild(db, claim, version);
}

}  // namespace yuqing::store
