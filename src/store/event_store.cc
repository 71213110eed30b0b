// Opening the event store on the session's backend, and what both backends share.
#include "store/event_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<EventStore>> EventStore::Open(Database& db) {
  return OpenOn<EventStore>(db, sqlite::OpenEventStore, postgres::OpenEventStore);
}

Result<EventRecord> EventStore::Get(int64_t id, bool follow_merges) {
  for (int hops = 0; hops < 64; ++hops) {
    YQ_ASSIGN_OR_RETURN(std::optional<EventRecord> e, Read(id));
    if (!e) return Status::NotFound("no event " + std::to_string(id));
    if (!follow_merges || e->merged_into == 0) return std::move(*e);
    id = e->merged_into;
  }
  return Status::Internal("event merge chain too long");
}

Status EventStore::AddCorrection(const SentimentCorrection& c) {
  if (c.label != "negative" && c.label != "neutral" && c.label != "positive")
    return Status::Invalid("label must be negative, neutral or positive");
  if (c.text.empty()) return Status::Invalid("a correction needs the text");
  return InsertCorrection(c);
}

}  // namespace yuqing::store
