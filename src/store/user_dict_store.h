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

namespace yuqing::store {

struct UserWord {
  std::string word;
  TimeMs added_at = 0;
};

class UserDictStore {
 public:
  static Result<std::unique_ptr<UserDictStore>> Open(Database& db);
  // The words without creating the tables (none when they do not exist yet): for readers that
  // must not write, such as the segmenter's loader.
  static Result<std::vector<std::string>> ReadWords(Database& db);
  // Words in byte order.
  Result<std::vector<UserWord>> List();
  Result<std::vector<std::string>> Words();
  // Returns whether the word was new / was there.
  Result<bool> Add(const std::string& word, TimeMs now);
  Result<bool> Remove(const std::string& word);
  // The dictionary version the full-text index was built with ("" before the first rebuild:
  // an index built with no user words).
  Result<std::string> IndexVersion();
  Status SetIndexVersion(const std::string& version);

 private:
  explicit UserDictStore(Database& db) : db_(db) {}
  Database& db_;
};

// A stable name for a list of words (hex of a 64-bit FNV-1a over the sorted words; "" for none).
std::string DictVersion(std::vector<std::string> words);

// Re-indexes every post's title and text with the tokenizer registered on `db` (which must use
// the segmenter built with the current dictionary), in batches of `batch` posts, each its own
// transaction; `progress(done, total)` after each. Search keeps working meanwhile (on the posts
// not yet re-indexed it finds what the old dictionary found).
Status RebuildFullTextIndex(Database& db, size_t batch, const std::function<void(int64_t, int64_t)>& progress);

}  // namespace yuqing::store
