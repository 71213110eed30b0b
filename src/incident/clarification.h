// Rumour clarification (辟谣): a record of the false claim, the evidence against it and the
// statement that answers it, linked to the posts that spread the claim. Those posts are found two
// ways: near-duplicates of the claim (SimHash within kMaxDistance of the claim's, as the analysis
// stage computes them, plus posts recorded as copies of those: dup_of) and a generated scheme (the
// claim's top keywords, all present). After the clarification statement is published, the claim's
// volume is tracked: equal windows before and after publication and the last hour, so the team
// sees whether it is still spreading.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/incident_store.h"
#include "text/normalizer.h"
#include "text/segmenter.h"

namespace yuqing::incident {

struct ClarificationOptions {
  int max_distance = 6;        // SimHash Hamming distance that counts as the same claim
  size_t keywords = 3;         // words of the generated scheme
  TimeMs lookback = 7 * kDay;  // posts from detection - lookback
  size_t max_candidates = 500000;
  TimeMs window = 6 * kHour;   // before/after publication
};

class Clarifications {
 public:
  // `norm` and `seg` may be null (then the claim is matched as is: no keywords, no SimHash).
  Clarifications(store::IncidentStore& store, const Clock& clock, std::shared_ptr<const text::Normalizer> norm,
                 std::shared_ptr<const text::Segmenter> seg, ClarificationOptions o = {});

  // Records a clarification and scans for its spreading posts. Invalid on an empty claim or a
  // statement of another incident.
  Result<store::ClarificationRow> Add(int64_t incident_id, const std::string& claim, const std::string& evidence,
                                      int64_t statement_id, const std::string& actor);
  // Links the clarification statement later.
  Result<store::ClarificationRow> SetStatement(int64_t id, int64_t statement_id, const std::string& actor);
  // Scans again (new posts since); returns the number of posts now linked.
  Result<int64_t> Scan(int64_t id);
  // The record with its query, posts (count, first, last, curve) and the tracking after the
  // statement's publication: {"published_at", "before", "after", "last_hour", "still_spreading"}.
  Result<nlohmann::json> Report(int64_t id, bool rescan = true);

 private:
  std::vector<std::string> Words(const std::string& text) const;
  store::IncidentStore& store_;
  const Clock& clock_;
  std::shared_ptr<const text::Normalizer> norm_;
  std::shared_ptr<const text::Segmenter> seg_;
  ClarificationOptions opts_;
};

}  // namespace yuqing::incident
