// Data sources (数据源) the system looks after: what to fetch, how often, the state of the last
// runs, and one fetch's outcome. Plain data; the store keeps them (store/source_store.h), app/
// runs them.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace yuqing {

struct SourceRow {
  int64_t id = 0;
  std::string name;         // unique; the CLI and the API accept it in place of the id
  std::string kind;         // feed | page | imap
  std::string url;
  nlohmann::json config = nlohmann::json::object();  // kind-specific (selectors, user, password_env)
  TimeMs every = 10 * kMinute;
  bool paused = false;
  std::string department;   // who is told when it goes silent ("" : unrouted, still listed)
  TimeMs silence_floor = 0; // never alert on silence shorter than this (0: the default floor)
  TimeMs created_at = 0;
  TimeMs next_run_at = 0;   // due when <= now
  TimeMs last_run_at = 0;
  TimeMs last_success_at = 0;
  TimeMs last_new_at = 0;   // last fetch that stored at least one new post
  std::string last_error;   // "" after a success
  TimeMs last_error_at = 0;
  std::string etag;         // conditional GET
  std::string last_modified;
  nlohmann::json state = nlohmann::json::object();  // kind-specific cursor (IMAP UIDVALIDITY/UID)
  int64_t silence_alert_id = 0;  // the open silence alert, 0 when none
};

struct SourceFetch {
  int64_t source_id = 0;
  TimeMs at = 0;
  bool ok = true;
  bool not_modified = false;
  int64_t stored = 0;
  int64_t duplicates = 0;
  int64_t quarantined = 0;
  std::string error;
};

}  // namespace yuqing
