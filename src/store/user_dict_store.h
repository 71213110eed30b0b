// The user dictionary (component "user_dict"): words the segmenter must keep whole — 新冠,
// officials' names, place and brand names — and the dictionary the full-text index was last built
// with, so that a change can be followed by a rebuild of the index.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"
#include "text/normalizer.h"

namespace yuqing::store {

struct UserWord {
  std::string word;
  TimeMs added_at = 0;
};

// On either backend (store/sqlite/user_dict_store.cc, store/postgres/user_dict_store.cc).
class UserDictStore {
 public:
  static Result<std::unique_ptr<UserDictStore>> Open(Database& db);
  // The words without creating the tables (none when they do not exist yet): for readers that
  // must not write, such as the segmenter's loader.
  static Result<std::vector<std::string>> ReadWords(Database& db);
  virtual ~UserDictStore() = default;

  // Words in byte order.
  virtual Result<std::vector<UserWord>> List() = 0;
  Result<std::vector<std::string>> Words();
  // Return whether the word was new / was there. Add: TooLarge when kMaxUserWords are stored.
  Result<bool> Add(const std::string& word, TimeMs now);
  virtual Result<bool> Remove(const std::string& word) = 0;
  // The dictionary version the full-text index was built with ("" before the first rebuild:
  // an index built with no user words).
  virtual Result<std::string> IndexVersion() = 0;
  virtual Status SetIndexVersion(const std::string& version) = 0;

 protected:
  // Add's steps. Each finishes its statement before returning: on SQLite no read may stay open
  // into the insert (a connection whose read snapshot is older than another writer's commit
  // cannot take the write lock, and fails at once while serve is storing posts).
  virtual Result<bool> Has(const std::string& word) = 0;
  virtual Result<int64_t> Count() = 0;
  virtual Result<bool> Insert(const std::string& word, TimeMs now) = 0;  // false: it was there
};

// A stable name for a list of words (hex of a 64-bit FNV-1a over the sorted words; "" for none).
std::string DictVersion(std::vector<std::string> words);

// At most this many user words (Add answers TooLarge beyond): every process using the store
// loads them all into its segmenter, and each change re-indexes every post.
inline constexpr size_t kMaxUserWords = 20000;

// A word as the segmenter sees text: normalised (traditional→simplified, width, case) and
// trimmed; Invalid unless it is 1–64 bytes of UTF-8 without whitespace or '/'. Shared by `yuqing dict`
// and the API.
Result<std::string> NormalizeUserWord(const text::Normalizer& norm, const std::string& raw);

// Called after each batch of a rebuild with (posts done, posts to do); returning false stops
// the rebuild (Unavailable), leaving the index for the next rebuild to finish.
using RebuildProgress = std::function<bool(int64_t done, int64_t total)>;

// SQLite only until the posts are on PostgreSQL (kUnavailable there).
// Re-indexes every post's title and text with the tokenizer registered on `db` (whose segmenter
// must already be built with the dictionary `version`), newest posts first, in batches of
// `batch` posts, each its own transaction, then records `version` as the index's.
// Consistency with concurrent writers: the first transaction empties the index and fixes the
// posts to redo (those stored so far); a post stored later is indexed by whoever stores it, with
// the tokenizer's segmenter of that moment (already the new one), and is never indexed twice.
// Meanwhile a search finds the posts already redone and those stored since.
// A later rebuild — another process's, e.g. `yuqing dict add` while `serve` runs, or the
// reverse — supersedes this one: its next batch sees that and returns Conflict, leaving the
// index to the newer rebuild.
Status RebuildFullTextIndex(Database& db, const std::string& version, size_t batch, const RebuildProgress& progress);

}  // namespace yuqing::store
