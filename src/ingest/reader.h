// Reads records from files and buffers in every supported format and hands each one to a sink,
// either as a Post or as a QuarantineRecord: nothing is dropped silently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/post.h"
#include "core/quarantine.h"
#include "core/status.h"
#include "ingest/encoding.h"
#include "ingest/item.h"
#include "ingest/post_parser.h"
#include "ingest/record_adapter.h"

namespace yuqing::ingest {

enum class Format { kAuto, kJsonLines, kJsonArray, kCsv, kFeed };

Result<Format> ParseFormat(std::string_view name);  // auto, jsonl, json, csv, rss, atom, xml
const char* FormatName(Format f);

struct ReadOptions {
  Format format = Format::kAuto;
  Encoding encoding = Encoding::kAuto;
  std::map<std::string, std::string> column_map;  // CSV column name -> post field (--map)
  ParseDefaults defaults;
  // A vendor's record shape (--format mediacrawler, weibo ...): each decoded record (JSON object,
  // or a CSV row keyed by its raw header) goes through it instead of PostFromJson.
  std::shared_ptr<const RecordAdapter> adapter;
};

// Returning a non-ok Status from the sink stops the reading and is returned. The sink may move
// the item's contents out (each record is a fresh Item).
using ItemSink = std::function<Status(Item&)>;

// Streams the file (JSON Lines line by line; other formats are read whole, bounded by
// kMaxFileBytes). The origin recorded in quarantine entries is `path`. "-" reads stdin.
Status ReadFile(const std::string& path, const ReadOptions& opts, const ItemSink& sink);

// Reads records from a buffer already in memory (an HTTP feed body, a retried record).
Status ReadBuffer(std::string_view data, const std::string& origin, const ReadOptions& opts, const ItemSink& sink);

// The format of a buffer from its first bytes, with the file name's extension as a hint.
Format DetectFormat(std::string_view head, const std::string& name);

constexpr size_t kMaxFileBytes = size_t{4} << 30;

// Maps a CSV header to post fields: exact --map entries first, then known field names and common
// Chinese column names (正文/内容 → text, 标题 → title, 发布时间 → published_at, 作者 → author.name ...).
std::vector<std::string> MapCsvHeader(const std::vector<std::string>& header,
                                      const std::map<std::string, std::string>& column_map);

}  // namespace yuqing::ingest
