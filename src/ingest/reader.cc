#include "ingest/reader.h"

#include <cstdio>
#include <functional>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/json_guard.h"
#include "ingest/csv.h"
#include "ingest/feed.h"

namespace yuqing::ingest {
namespace {

using nlohmann::json;

std::string Bounded(std::string_view raw) {
  if (raw.size() <= kMaxQuarantineRawBytes) return std::string(raw);
  return std::string(raw.substr(0, kMaxQuarantineRawBytes));
}

Item Bad(const std::string& origin, Format f, int64_t line, int64_t offset, std::string code,
         std::string reason, std::string_view raw, TimeMs now) {
  Item it;
  it.line = line;
  it.offset = offset;
  it.bad = {origin, line, offset, std::move(code), std::move(reason), Bounded(raw), FormatName(f), now};
  return it;
}

Item FromParsed(ParsedPost&& pp, const std::string& origin, Format f, int64_t line, int64_t offset,
                std::string_view raw, TimeMs now) {
  if (!pp.ok) return Bad(origin, f, line, offset, pp.error.code, pp.error.reason, raw, now);
  Item it;
  it.ok = true;
  it.line = line;
  it.offset = offset;
  it.post = std::move(pp.post);
  return it;
}

// One JSON text through the adapter (no fast path: the adapter reads the vendor's field names).
// A record may hold several posts (a status and the status it reposts).
std::vector<ParsedPost> AdaptText(std::string_view text, const ReadOptions& o) {
  std::vector<ParsedPost> out;
  auto j = ParseJson(text);
  if (!j.ok()) {
    out.emplace_back();
    out.back().error = {JsonDepthViolation(text) >= 0 ? "too_deep" : "bad_json", j.status().message()};
    return out;
  }
  o.adapter->ConvertAll(*j, o.defaults, out);
  return out;
}

Status ReadJsonLinesStream(std::istream& in, const std::string& origin, const ReadOptions& o, const ItemSink& sink) {
  std::string line, utf8;
  int64_t lineno = 0, offset = 0;
  while (std::getline(in, line)) {
    ++lineno;
    int64_t this_offset = offset;
    offset += static_cast<int64_t>(line.size()) + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;  // blank lines are not records
    Item item;
    if (line.size() > kMaxRecordBytes) {
      item = Bad(origin, Format::kJsonLines, lineno, this_offset, "oversize",
                 "the line is " + std::to_string(line.size()) + " bytes; the limit is " + std::to_string(kMaxRecordBytes),
                 line, o.defaults.now);
    } else {
      auto u = ToUtf8(line, o.encoding);
      if (!u.ok()) {
        item = Bad(origin, Format::kJsonLines, lineno, this_offset, "bad_encoding", u.status().message(), line, o.defaults.now);
      } else if (o.adapter) {
        for (ParsedPost& pp : AdaptText(*u, o)) {
          Item one = FromParsed(std::move(pp), origin, Format::kJsonLines, lineno, this_offset, *u, o.defaults.now);
          YQ_RETURN_IF_ERROR(sink(one));
        }
        continue;
      } else {
        item = FromParsed(PostFromJsonText(*u, o.defaults), origin, Format::kJsonLines, lineno, this_offset, *u,
                          o.defaults.now);
      }
    }
    YQ_RETURN_IF_ERROR(sink(item));
  }
  return Status::Ok();
}

Status ReadJsonArray(std::string_view data, const std::string& origin, const ReadOptions& o, const ItemSink& sink) {
  // The whole document is one unusable record when it cannot be read as an array: quarantine it
  // with the parser's position (or where it nests too deep).
  auto parsed = ParseJson(data);
  // A vendor's document may be one object holding its records ({"statuses": [...]}).
  const bool adapted_object = parsed.ok() && o.adapter && parsed->is_object();
  if (!parsed.ok() || (!parsed->is_array() && !adapted_object)) {
    std::string reason = parsed.ok() ? "the file is not a JSON array" : parsed.status().message();
    const char* code = JsonDepthViolation(data) >= 0 ? "too_deep" : "bad_json";
    Item it = Bad(origin, Format::kJsonArray, 1, 0, code, reason, data, o.defaults.now);
    return sink(it);
  }
  json doc = adapted_object ? json::array({std::move(*parsed)}) : std::move(*parsed);
  int64_t idx = 0;
  std::vector<ParsedPost> posts;
  for (const json& el : doc) {
    std::string raw = el.dump(-1, ' ', false, json::error_handler_t::replace);
    posts.clear();
    if (o.adapter) o.adapter->ConvertAll(el, o.defaults, posts);
    else posts.push_back(PostFromJson(el, o.defaults));
    for (ParsedPost& pp : posts) {
      Item it = FromParsed(std::move(pp), origin, Format::kJsonArray, 0, idx, raw, o.defaults.now);
      YQ_RETURN_IF_ERROR(sink(it));
    }
    ++idx;
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> MapCsvHeader(const std::vector<std::string>& header,
                                      const std::map<std::string, std::string>& column_map) {
  static const std::map<std::string, std::string> kChinese = {
      {"正文", "text"},          {"内容", "text"},          {"微博正文", "text"}, {"标题", "title"},
      {"链接", "url"},           {"网址", "url"},           {"发布时间", "published_at"},
      {"时间", "published_at"},  {"日期", "published_at"},  {"作者", "author.name"},
      {"用户", "author.name"},   {"昵称", "author.name"},   {"用户id", "author.id"},
      {"粉丝数", "author.followers"}, {"认证", "author.verified"}, {"来源", "source"},
      {"平台", "source"},        {"频道", "channel"},       {"地区", "region"},
      {"转发数", "metrics.reposts"}, {"评论数", "metrics.comments"}, {"点赞数", "metrics.likes"},
      {"阅读数", "metrics.views"}, {"date", "published_at"}, {"userid", "author.id"}};
  std::vector<std::string> out;
  for (std::string h : header) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.pop_back();
    while (!h.empty() && h.front() == ' ') h.erase(h.begin());
    if (auto it = column_map.find(h); it != column_map.end()) out.push_back(it->second);
    else if (auto jt = kChinese.find(h); jt != kChinese.end()) out.push_back(jt->second);
    else out.push_back(h);
  }
  return out;
}

namespace {

std::vector<std::string> TrimmedHeader(std::vector<std::string> header) {
  for (std::string& h : header) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.pop_back();
    while (!h.empty() && h.front() == ' ') h.erase(h.begin());
  }
  return header;
}

// Turns CSV rows (the header first) into items for the sink; one per document.
class CsvItems {
 public:
  CsvItems(const std::string& origin, const ReadOptions& o, const ItemSink& sink) : origin_(origin), o_(o), sink_(sink) {}
  // For ParseCsv/ParseCsvChunk: false stops the parse (the sink failed; see result()).
  bool operator()(CsvRow& row);
  const Status& result() const { return result_; }

 private:
  const std::string& origin_;
  const ReadOptions& o_;
  const ItemSink& sink_;
  std::vector<ParsedPost> ParseFields(const std::map<std::string, std::string>& rec) const {
    std::vector<ParsedPost> out;
    if (!o_.adapter) {
      out.push_back(PostFromFields(rec, o_.defaults));
      return out;
    }
    json j = json::object();
    for (const auto& [k, v] : rec) j[k] = v;
    o_.adapter->ConvertAll(j, o_.defaults, out);
    return out;
  }
  std::vector<std::string> fields_;
  bool header_ = true;
  Status result_;
};

bool CsvItems::operator()(CsvRow& row) {
  if (header_) {
    // An adapter reads the vendor's own column names; our mapping would rename some of them.
    fields_ = o_.adapter ? TrimmedHeader(row.fields) : MapCsvHeader(row.fields, o_.column_map);
    header_ = false;
    return true;
  }
  const TimeMs now = o_.defaults.now;
  Item it;
  if (!row.error.empty()) {
    it = Bad(origin_, Format::kCsv, row.line, row.offset, "bad_csv", row.error, row.raw, now);
  } else if (row.fields.size() != fields_.size()) {
    it = Bad(origin_, Format::kCsv, row.line, row.offset, "bad_csv",
             "the row has " + std::to_string(row.fields.size()) + " fields; the header has " +
                 std::to_string(fields_.size()),
             row.raw, now);
  } else if (row.raw.size() > kMaxRecordBytes) {
    it = Bad(origin_, Format::kCsv, row.line, row.offset, "oversize", "the row is larger than the limit", row.raw, now);
  } else {
    std::map<std::string, std::string> rec;
    std::string bad_enc;
    for (size_t i = 0; i < fields_.size() && bad_enc.empty(); ++i) {
      auto u = ToUtf8(row.fields[i], o_.encoding);
      if (!u.ok()) bad_enc = u.status().message();
      else if (!fields_[i].empty()) rec[fields_[i]] = std::move(u).value();
    }
    if (!bad_enc.empty()) {
      it = Bad(origin_, Format::kCsv, row.line, row.offset, "bad_encoding", bad_enc, row.raw, now);
    } else {
      for (ParsedPost& pp : ParseFields(rec)) {
        Item one = FromParsed(std::move(pp), origin_, Format::kCsv, row.line, row.offset, row.raw, now);
        result_ = sink_(one);
        if (!result_.ok()) return false;
      }
      return true;
    }
  }
  result_ = sink_(it);
  return result_.ok();
}

Status ReadCsv(std::string_view data, const std::string& origin, const ReadOptions& o, const ItemSink& sink) {
  CsvItems items(origin, o, sink);
  ParseCsv(data, GuessDelimiter(data), std::ref(items));
  return items.result();
}

// A CSV file read in chunks, so memory follows the longest row, not the file (a 250 MB export
// peaked at 853 MB when read whole). Rows are converted to UTF-8 one by one.
Status ReadCsvStream(std::istream& in, std::string_view head, const std::string& origin, const ReadOptions& o,
                     const ItemSink& sink) {
  constexpr size_t kChunk = 4 << 20;
  CsvItems items(origin, o, sink);
  const char delim = GuessDelimiter(head);
  CsvCursor cursor;
  std::string buf;
  bool eof = false;
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") {
    in.seekg(3);
    cursor.offset = 3;
  }
  while (!eof && !cursor.stopped) {
    size_t have = buf.size();
    buf.resize(have + kChunk);
    in.read(buf.data() + have, static_cast<std::streamsize>(kChunk));
    buf.resize(have + static_cast<size_t>(in.gcount()));
    eof = in.eof() || in.gcount() == 0;
    size_t used = ParseCsvChunk(buf, delim, eof, cursor, std::ref(items));
    buf.erase(0, used);
  }
  return items.result();
}

Status ReadFeedDoc(std::string_view data, const std::string& origin, const ReadOptions& o, const ItemSink& sink) {
  Status sink_status;
  Status st = ParseFeed(data, [&](FeedItem& fi) {
    if (!sink_status.ok()) return;
    Item it = FromParsed(PostFromJson(fi.record, o.defaults), origin, Format::kFeed, 0, fi.index, fi.raw,
                         o.defaults.now);
    sink_status = sink(it);
  });
  if (!st.ok()) {
    Item it = Bad(origin, Format::kFeed, 0, 0, "bad_xml", st.message(), data, o.defaults.now);
    return sink(it);
  }
  return sink_status;
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name == "auto" || name.empty()) return Format::kAuto;
  if (name == "jsonl" || name == "ndjson") return Format::kJsonLines;
  if (name == "json") return Format::kJsonArray;
  if (name == "csv" || name == "tsv") return Format::kCsv;
  if (name == "rss" || name == "atom" || name == "xml") return Format::kFeed;
  return Status::Invalid("unknown format '" + std::string(name) + "': use auto, jsonl, json, csv, rss or atom");
}

const char* FormatName(Format f) {
  switch (f) {
    case Format::kAuto: return "auto";
    case Format::kJsonLines: return "jsonl";
    case Format::kJsonArray: return "json";
    case Format::kCsv: return "csv";
    case Format::kFeed: return "feed";
  }
  return "?";
}

Format DetectFormat(std::string_view head, const std::string& name) {
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".jsonl") || ends(".ndjson")) return Format::kJsonLines;
  if (ends(".csv") || ends(".tsv")) return Format::kCsv;
  if (ends(".xml") || ends(".rss") || ends(".atom")) return Format::kFeed;
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return Format::kJsonLines;
  char c = head[i];
  if (c == '[') return Format::kJsonArray;
  if (c == '{') return Format::kJsonLines;
  if (c == '<') return Format::kFeed;
  return Format::kCsv;
}

Status ReadBuffer(std::string_view data, const std::string& origin, const ReadOptions& o, const ItemSink& sink) {
  Format f = o.format == Format::kAuto ? DetectFormat(data.substr(0, 4096), origin) : o.format;
  if (data.size() >= 3 && data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
  if (f == Format::kJsonLines) {
    std::string copy(data);
    std::istringstream in(copy);
    return ReadJsonLinesStream(in, origin, o, sink);
  }
  // Whole-document formats: convert the encoding once for the whole buffer when it is not UTF-8.
  std::string converted;
  if (f != Format::kCsv) {
    auto u = ToUtf8(data, o.encoding);
    if (!u.ok()) {
      Item it = Bad(origin, f, 0, 0, "bad_encoding", u.status().message(), data, o.defaults.now);
      return sink(it);
    }
    converted = std::move(u).value();
    data = converted;
  } else if (o.encoding != Encoding::kUtf8) {
    auto u = ToUtf8(data, o.encoding);
    if (u.ok()) {
      converted = std::move(u).value();
      data = converted;
    }  // else: rows are converted (or refused) one by one
  }
  if (f == Format::kJsonArray) return ReadJsonArray(data, origin, o, sink);
  if (f == Format::kCsv) return ReadCsv(data, origin, o, sink);
  return ReadFeedDoc(data, origin, o, sink);
}

Status ReadFile(const std::string& path, const ReadOptions& o, const ItemSink& sink) {
  if (path == "-") {
    std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return ReadBuffer(all, "stdin", o, sink);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  char head[4096];
  in.read(head, sizeof head);
  std::string_view h(head, static_cast<size_t>(in.gcount()));
  Format f = o.format == Format::kAuto ? DetectFormat(h, path) : o.format;
  in.clear();
  in.seekg(0);
  if (f == Format::kJsonLines) {
    if (h.size() >= 3 && h.substr(0, 3) == "\xEF\xBB\xBF") in.seekg(3);
    return ReadJsonLinesStream(in, path, o, sink);
  }
  if (f == Format::kCsv) return ReadCsvStream(in, h, path, o, sink);
  in.seekg(0, std::ios::end);
  auto size = static_cast<size_t>(in.tellg());
  if (size > kMaxFileBytes) return Status::TooLarge(path + " is larger than 4 GiB; split it or use JSON Lines");
  in.seekg(0);
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  ReadOptions fixed = o;
  fixed.format = f;
  return ReadBuffer(data, path, fixed, sink);
}

}  // namespace yuqing::ingest
