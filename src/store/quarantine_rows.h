// Internal to the quarantine's backends (store/sqlite/quarantine_store.cc,
// store/postgres/quarantine_store.cc): the fingerprint that makes a record one row however often
// its file is ingested, and the columns they read. Not for use outside src/store/.
#pragma once

#include <string>
#include <string_view>

#include "core/hash.h"
#include "core/quarantine.h"

namespace yuqing::store::quarantine_rows {

// One quarantined record is one row however often its file is ingested: the row is keyed by
// where it came from and what it was, and a repeat only counts (`seen`, `last_at`).
inline int64_t Fingerprint(const QuarantineRecord& r) {
  std::string key = r.origin;
  key += '\n' + std::to_string(r.line) + '\n' + std::to_string(r.offset) + '\n' + r.code + '\n';
  key += std::string_view(r.raw).substr(0, kMaxQuarantineRawBytes);
  return static_cast<int64_t>(Hash64(key));
}

inline constexpr const char* kColumns =
    "id, origin, line, \"offset\", code, reason, raw, format, at, status, resolved_at, seen, last_at";

}  // namespace yuqing::store::quarantine_rows
