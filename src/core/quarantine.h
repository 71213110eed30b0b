// A record that could not be stored, kept with where it came from and why.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"

namespace yuqing {

// Reason codes (stable, for filtering): bad_json, missing_text, bad_date, oversize, bad_encoding,
// bad_field, bad_csv, bad_xml.
struct QuarantineRecord {
  std::string origin;     // file path, feed URL, or "api"
  int64_t line = 0;       // 1-based line (0 when unknown)
  int64_t offset = 0;     // byte offset of the record in the origin (or element index for arrays)
  std::string code;       // reason code
  std::string reason;     // human-readable explanation
  std::string raw;        // the record as received (bounded by kMaxQuarantineRawBytes)
  std::string format;     // jsonl, json, csv, rss, atom, api
  TimeMs at = 0;          // when it was quarantined
};

constexpr size_t kMaxQuarantineRawBytes = 64 * 1024;

}  // namespace yuqing
