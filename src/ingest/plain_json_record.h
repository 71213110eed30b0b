// The fast path of JSON Lines ingest: simdjson reads a *plain* record, the shape nearly every
// line of a crawler's export has (parsing a COVID post takes 1.8 µs instead of nlohmann's
// 4.3); anything else is left to PostFromJson. Plain means: one JSON object whose keys are
// distinct and among
//   id source channel url title text published_at region parent lang
//   author {id name location followers verified}   metrics {reposts comments likes views}
// with strings for the text fields (the ids may be integers), non-negative integers for the
// counts, true/false for verified, a string or an integer for published_at that parses, a text
// that is not blank, no null anywhere and no \u escape. For such a record the post is exactly
// what PostFromJson makes of it (tests/unit/ingest/plain_json_record_test.cc compares them).
#pragma once

#include <optional>
#include <string_view>

#include "ingest/post_parser.h"

namespace yuqing::ingest {

// The parsed post, or nullopt when the line is not a plain record (or not valid JSON): the
// caller then parses it with nlohmann, which also words the errors.
std::optional<ParsedPost> PlainJsonRecord(std::string_view line, const ParseDefaults& d);

}  // namespace yuqing::ingest
