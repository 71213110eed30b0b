// Turns one decoded record (a JSON object, or a CSV row mapped to field names) into a validated
// Post, or says exactly why it cannot be one. Pure functions: no I/O.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/post.h"

namespace yuqing::ingest {

struct RecordError {
  std::string code;    // bad_json, missing_text, bad_date, oversize, bad_field, ...
  std::string reason;  // for people
};

struct ParseDefaults {
  std::string source;  // used when a record has none ("" -> "other")
  TimeMs now = 0;      // published_at when a record has none; ingested_at always
};

// Either a Post or the reason it was refused.
struct ParsedPost {
  bool ok = false;
  Post post;
  RecordError error;
};

// Field names and their accepted aliases (other vendors' exports):
//   text: text|content|body|review   title: title|headline   url: url|link|permalink
//   published_at: published_at|time|created_at|date|pubdate|timestamp
//   author: {id,name,followers,verified,location} or a name string; also author_id, author_name,
//           author_followers, author_verified, user (object or string)
//   metrics: {reposts,comments,likes,views} or top-level reposts|reposts_count, comments, likes, views
// Unknown fields are kept in extra (as a JSON object, bounded by kMaxExtraBytes).
ParsedPost PostFromJson(const nlohmann::json& j, const ParseDefaults& d);

// Parses one JSON text (a JSON Lines line) and converts it. Plain records (see
// plain_json_record.h) take a simdjson fast path; the result is the same either way.
ParsedPost PostFromJsonText(std::string_view line, const ParseDefaults& d);

// The last steps of every record once its fields are read: ingested_at, the default source,
// the size limits, UTF-8 validity and the stable id of a post without one.
ParsedPost FinishPost(ParsedPost out, const ParseDefaults& d);

// A flat record of field name -> string value (CSV rows after --map). Dotted names
// (author.name, metrics.likes) address nested fields.
ParsedPost PostFromFields(const std::map<std::string, std::string>& fields, const ParseDefaults& d);

// Serialises a post as the JSON object PostFromJson reads (round-trips).
nlohmann::json PostToJson(const Post& p);

}  // namespace yuqing::ingest
