// Statement versions and the talking-points library (口径库):
//   - a sentence-level diff between two statement versions (what a reviewer reads first);
//   - review comments on a version, optionally pinned to one sentence;
//   - talking points: approved answers per topic, drafted by hand or taken from a published
//     statement, approved by a person, retired when outdated.
// Rules only; rows live in store::IncidentStore. Times come from the caller's clock.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/incident_store.h"

namespace yuqing::incident {

struct DiffOp {
  char op = '=';  // '=' kept, '-' removed (only in the old), '+' added (only in the new)
  std::string text;
  int old_sentence = -1, new_sentence = -1;  // 0-based indexes, -1 when absent on that side
};

// Sentence-level diff (longest common subsequence of sentences, compared after trimming).
std::vector<DiffOp> DiffStatements(const std::string& old_body, const std::string& new_body);
nlohmann::json DiffToJson(const std::vector<DiffOp>& ops);

// Adds a review comment. Invalid on an empty text or a sentence index out of range of the body.
Result<store::StatementCommentRow> AddComment(store::IncidentStore& store, int64_t statement_id, int sentence,
                                              const std::string& text, const std::string& author, TimeMs now);
nlohmann::json CommentToJson(const store::StatementCommentRow& c);

// Talking points.
Result<store::TalkingPointRow> AddTalkingPoint(store::IncidentStore& store, store::TalkingPointRow row, TimeMs now);
// From a published statement: topic given, the answer is the statement's body.
Result<store::TalkingPointRow> TalkingPointFromStatement(store::IncidentStore& store, int64_t statement_id,
                                                         const std::string& topic, const std::string& question,
                                                         const std::string& actor, TimeMs now);
Result<store::TalkingPointRow> SetTalkingPointStatus(store::IncidentStore& store, int64_t id, const std::string& status,
                                                     const std::string& actor, TimeMs now);
nlohmann::json TalkingPointToJson(const store::TalkingPointRow& r);

}  // namespace yuqing::incident
