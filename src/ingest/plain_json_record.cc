#include "ingest/plain_json_record.h"

#include <simdjson.h>

#include <algorithm>
#include <bitset>

#include "core/time.h"

namespace yuqing::ingest {
namespace {

namespace dom = simdjson::dom;

// A field of a plain record: where its value goes and what it may be.
enum class Kind { kString, kId, kTime, kAuthor, kMetrics, kCount, kBool };
struct Field {
  std::string_view name;
  Kind kind;
};

// Reads a string field; an id may also be an integer, written as nlohmann's AsString writes it.
bool ReadString(dom::element v, Kind kind, std::string& out) {
  if (v.is_string()) {
    out = std::string_view(v.get_string().value_unsafe());
    return true;
  }
  if (kind == Kind::kId && v.is_int64()) {
    out = std::to_string(v.get_int64().value_unsafe());
    return true;
  }
  return false;
}

bool ReadCount(dom::element v, int64_t& out) {
  if (!v.is_int64()) return false;
  out = v.get_int64().value_unsafe();
  return out >= 0 && out <= 1000000000000LL;  // beyond a trillion: AsInt refuses it, with the reason
}

// Walks an object whose keys must all be distinct fields of `fields`; `read` stores one value and
// says whether it was plain.
template <size_t N, typename Read>
bool ForEachField(dom::object obj, const Field (&fields)[N], Read&& read) {
  std::bitset<N> seen;
  for (dom::key_value_pair kv : obj) {
    size_t i = 0;
    while (i < N && fields[i].name != kv.key) ++i;
    if (i == N || seen[i] || kv.value.is_null()) return false;
    seen[i] = true;
    if (!read(fields[i], kv.value)) return false;
  }
  return true;
}

constexpr Field kAuthorFields[] = {{"id", Kind::kId},          {"name", Kind::kString},
                                   {"location", Kind::kString}, {"followers", Kind::kCount},
                                   {"verified", Kind::kBool}};
constexpr Field kMetricFields[] = {{"reposts", Kind::kCount},
                                   {"comments", Kind::kCount},
                                   {"likes", Kind::kCount},
                                   {"views", Kind::kCount}};
constexpr Field kPostFields[] = {{"id", Kind::kId},         {"source", Kind::kString}, {"channel", Kind::kString},
                                 {"url", Kind::kString},    {"title", Kind::kString},  {"text", Kind::kString},
                                 {"published_at", Kind::kTime}, {"region", Kind::kString},
                                 {"parent", Kind::kString}, {"lang", Kind::kString},   {"author", Kind::kAuthor},
                                 {"metrics", Kind::kMetrics}};

bool ReadAuthor(dom::element v, Author& a) {
  dom::object obj;
  if (v.get(obj) != simdjson::SUCCESS) return false;
  return ForEachField(obj, kAuthorFields, [&](const Field& f, dom::element x) {
    if (f.name == "id") return ReadString(x, f.kind, a.id);
    if (f.name == "name") return ReadString(x, f.kind, a.name);
    if (f.name == "location") return ReadString(x, f.kind, a.location);
    if (f.name == "followers") return ReadCount(x, a.followers);
    if (!x.is_bool()) return false;  // verified
    a.verified = x.get_bool().value_unsafe();
    return true;
  });
}

bool ReadMetrics(dom::element v, Metrics& m) {
  dom::object obj;
  if (v.get(obj) != simdjson::SUCCESS) return false;
  return ForEachField(obj, kMetricFields, [&](const Field& f, dom::element x) {
    int64_t* dst = f.name == "reposts" ? &m.reposts : f.name == "comments" ? &m.comments
                   : f.name == "likes"  ? &m.likes
                                        : &m.views;
    return ReadCount(x, *dst);
  });
}

// published_at as ParseTimeValue reads it: ISO 8601 text, or unix seconds (milliseconds from
// 12 digits on).
bool ReadTime(dom::element v, TimeMs& out) {
  if (v.is_string()) {
    auto t = ParseTime(v.get_string().value_unsafe());
    if (!t.ok()) return false;
    out = *t;
    return true;
  }
  if (!v.is_int64()) return false;
  auto t = TimeFromUnixNumber(v.get_int64().value_unsafe());
  if (!t.ok()) return false;  // out of range: the full parser says so
  out = *t;
  return true;
}

std::string* TextField(Post& p, std::string_view name) {
  if (name == "id") return &p.id;
  if (name == "source") return &p.source;
  if (name == "channel") return &p.channel;
  if (name == "url") return &p.url;
  if (name == "title") return &p.title;
  if (name == "text") return &p.text;
  if (name == "region") return &p.region;
  if (name == "parent") return &p.parent;
  return &p.lang;
}

}  // namespace

std::optional<ParsedPost> PlainJsonRecord(std::string_view line, const ParseDefaults& d) {
  // \u escapes are left to nlohmann: the two parsers need not agree on lone surrogates.
  if (line.find("\\u") != std::string_view::npos) return std::nullopt;
  thread_local dom::parser parser;
  dom::element root;
  if (parser.parse(line.data(), line.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return std::nullopt;
  ParsedPost out;
  Post& p = out.post;
  bool has_time = false;
  const bool plain = ForEachField(obj, kPostFields, [&](const Field& f, dom::element v) {
    switch (f.kind) {
      case Kind::kAuthor: return ReadAuthor(v, p.author);
      case Kind::kMetrics: return ReadMetrics(v, p.metrics);
      case Kind::kTime: return has_time = ReadTime(v, p.published_at);
      default: return ReadString(v, f.kind, *TextField(p, f.name));
    }
  });
  if (!plain) return std::nullopt;
  // A blank text is an error that PostFromJson words.
  if (std::all_of(p.text.begin(), p.text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }))
    return std::nullopt;
  if (!has_time) p.published_at = d.now;
  return FinishPost(std::move(out), d);
}

}  // namespace yuqing::ingest
