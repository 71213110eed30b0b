// MediaCrawler (github.com/NanmiCoder/MediaCrawler) outputs as posts: its JSON, JSON Lines and
// CSV files (data/<platform>/<json|jsonl|csv>/<crawler>_<contents|comments|creators>_<date>.<ext>)
// and its SQLite/MySQL tables (weibo_note, weibo_note_comment, xhs_note, douyin_aweme, ...).
// Notes and videos become posts, comments become replies whose `parent` is the comment they
// answer or else the note; the platform is the post's source; creator profiles are not posts but
// give authors their followers and verification.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/record_adapter.h"

namespace yuqing::ingest {

enum class McKind { kContent, kComment, kCreator, kOther };

struct McTarget {
  std::string platform;  // MediaCrawler's name: weibo xhs douyin kuaishou bilibili zhihu tieba
  McKind kind = McKind::kContent;
};

// The platform as yuqing names the source (xhs -> xiaohongshu; the others keep their names);
// "" for a name MediaCrawler does not use.
std::string McSourceName(const std::string& platform);

// The platform from the path (a folder or file name token: weibo, wb, xhs, douyin, dy, kuaishou,
// ks, bilibili, bili, zhihu, tieba), or `fallback` (--source) when the path names none; kInvalid
// when neither does. The kind from the file name (contents / comments / creators; anything else
// is read as contents, comment rows being recognised by their comment_id).
Result<McTarget> McTargetFromPath(const std::string& path, const std::string& fallback);

// One MediaCrawler table with its platform and kind.
struct McTable {
  std::string name;
  McTarget target;
};
// The tables that hold posts and comments, in the order to read them (notes before comments).
const std::vector<McTable>& McTables();

// What creator profiles tell about an author, by the author's id (user_id or creator_hash).
struct McProfile {
  int64_t followers = -1;  // -1: not given
  bool verified = false;
};
using McProfiles = std::map<std::string, McProfile>;

// Reads one creators record into `profiles` (records without an id are ignored: they are not posts).
void AddMcProfile(const nlohmann::json& record, McProfiles& profiles);

class MediaCrawlerAdapter final : public RecordAdapter {
 public:
  MediaCrawlerAdapter(McTarget target, std::shared_ptr<const McProfiles> profiles)
      : target_(std::move(target)), profiles_(std::move(profiles)) {}
  ParsedPost Convert(const nlohmann::json& record, const ParseDefaults& d) const override;

 private:
  McTarget target_;
  std::shared_ptr<const McProfiles> profiles_;
};

// The id yuqing gives a MediaCrawler note or comment: Weibo's own mid as is (the Weibo API and
// weibo-crawler adapters use it too, so one status crawled twice is stored once); other
// platforms' ids prefixed with the source ("douyin:7301..."), comments with "<source>:c:".
std::string McPostId(const std::string& platform, const std::string& id, bool comment);

}  // namespace yuqing::ingest
