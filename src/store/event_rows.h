// Internal to the event store's backends (store/sqlite/event_store.cc,
// store/postgres/event_store.cc): how a record is written as a document and read back, and the
// list order. Not for use outside src/store/.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/event.h"
#include "core/event_json.h"
#include "core/status.h"
#include "store/event_store.h"

namespace yuqing::store::event_rows {

// The record as stored: the JSON document (invalid UTF-8, which the tracker never makes, replaced).
inline std::string Doc(const EventRecord& e) {
  return EventToJson(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline Result<EventRecord> FromDoc(std::string_view doc) {
  auto j = nlohmann::json::parse(doc, nullptr, false);
  return EventFromJson(j);
}

// The column EventQuery::order names (a fixed set: never user text in SQL).
inline const char* OrderColumn(const EventQuery& q) {
  return q.order == "posts" ? "posts" : q.order == "first_seen" ? "first_seen" : "last_seen";
}

// A correction row: id, post_id, text, label, user, created_at.
template <class Row>
SentimentCorrection ReadCorrection(const Row& q) {
  return {q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Int(5)};
}

}  // namespace yuqing::store::event_rows
