#include "incident/library.h"

#include <algorithm>

#include "core/post.h"
#include "incident/sentences.h"
#include "incident/wide_text.h"

namespace yuqing::incident {
namespace {

using nlohmann::json;

std::vector<std::string> Sentences(const std::string& body) {
  std::wstring w = Widen(body);
  std::vector<std::string> out;
  for (const auto& sp : SplitSentences(w)) out.push_back(Narrow(w.substr(sp.start, sp.end - sp.start)));
  return out;
}

json TimeOrNull(TimeMs t) { return t > 0 ? json(FormatTime(t)) : json(nullptr); }

}  // namespace

std::vector<DiffOp> DiffStatements(const std::string& old_body, const std::string& new_body) {
  std::vector<std::string> a = Sentences(old_body), b = Sentences(new_body);
  const size_t n = a.size(), m = b.size();
  // LCS table; statements are short (bounded at 64 KiB, a few hundred sentences at most).
  std::vector<std::vector<int>> L(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;) L[i][j] = a[i] == b[j] ? L[i + 1][j + 1] + 1 : std::max(L[i + 1][j], L[i][j + 1]);
  std::vector<DiffOp> ops;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      ops.push_back({'=', a[i], static_cast<int>(i), static_cast<int>(j)});
      ++i, ++j;
    } else if (j < m && (i == n || L[i][j + 1] >= L[i + 1][j])) {
      ops.push_back({'+', b[j], -1, static_cast<int>(j)});
      ++j;
    } else {
      ops.push_back({'-', a[i], static_cast<int>(i), -1});
      ++i;
    }
  }
  return ops;
}

json DiffToJson(const std::vector<DiffOp>& ops) {
  json a = json::array();
  int added = 0, removed = 0;
  for (const auto& o : ops) {
    const char* name = o.op == '=' ? "same" : o.op == '+' ? "added" : "removed";
    added += o.op == '+';
    removed += o.op == '-';
    a.push_back({{"op", name}, {"text", o.text},
                 {"old_sentence", o.old_sentence < 0 ? json(nullptr) : json(o.old_sentence)},
                 {"new_sentence", o.new_sentence < 0 ? json(nullptr) : json(o.new_sentence)}});
  }
  return {{"added", added}, {"removed", removed}, {"ops", a}};
}

Result<store::StatementCommentRow> AddComment(store::IncidentStore& store, int64_t statement_id, int sentence,
                                              const std::string& text, const std::string& author, TimeMs now) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Invalid("text: the comment is empty");
  if (text.size() > kMaxFieldBytes * 4) return Status::TooLarge("text: longer than 8 KiB");
  YQ_ASSIGN_OR_RETURN(store::StatementRow s, store.GetStatement(statement_id));
  if (sentence >= 0) {
    const size_t count = Sentences(s.body).size();
    if (static_cast<size_t>(sentence) >= count)
      return Status::Invalid("sentence: the statement has " + std::to_string(count) + " sentences (0-based index " +
                             std::to_string(sentence) + ")");
  }
  store::StatementCommentRow c;
  c.statement_id = statement_id;
  c.sentence = sentence < 0 ? -1 : sentence;
  c.author = author;
  c.text = text;
  c.at = now;
  YQ_ASSIGN_OR_RETURN(c.id, store.InsertStatementComment(c));
  store::IncidentLogRow log;
  log.incident_id = s.incident_id;
  log.at = now;
  log.actor = author;
  log.kind = "statement_comment";
  log.detail_json = json{{"statement", statement_id}, {"comment", c.id}, {"sentence", c.sentence}}.dump();
  YQ_RETURN_IF_ERROR(store.AppendLog(log).status());
  return c;
}

json CommentToJson(const store::StatementCommentRow& c) {
  return {{"id", c.id}, {"statement_id", c.statement_id},
          {"sentence", c.sentence < 0 ? json(nullptr) : json(c.sentence)},
          {"author", c.author}, {"text", c.text}, {"at", FormatTime(c.at)}, {"resolved", c.resolved}};
}

Result<store::TalkingPointRow> AddTalkingPoint(store::IncidentStore& store, store::TalkingPointRow row, TimeMs now) {
  if (row.topic.empty() || row.topic.size() > kMaxFieldBytes) return Status::Invalid("topic: missing or too long");
  if (row.answer.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Invalid("answer: missing");
  if (row.answer.size() > kMaxTextBytes) return Status::TooLarge("answer: longer than 64 KiB");
  if (row.question.size() > kMaxFieldBytes) return Status::TooLarge("question: longer than 2 KiB");
  row.status = "draft";
  row.created_at = row.updated_at = now;
  YQ_ASSIGN_OR_RETURN(row.id, store.InsertTalkingPoint(row));
  return row;
}

Result<store::TalkingPointRow> TalkingPointFromStatement(store::IncidentStore& store, int64_t statement_id,
                                                         const std::string& topic, const std::string& question,
                                                         const std::string& actor, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(store::StatementRow s, store.GetStatement(statement_id));
  if (s.state != "published")
    return Status::Conflict("statement " + std::to_string(statement_id) + " is " + s.state +
                            "; only a published statement is a proven answer");
  store::TalkingPointRow row;
  row.topic = topic;
  row.question = question;
  row.answer = s.body;
  row.incident_id = s.incident_id;
  row.statement_id = s.id;
  row.created_by = actor;
  return AddTalkingPoint(store, row, now);
}

Result<store::TalkingPointRow> SetTalkingPointStatus(store::IncidentStore& store, int64_t id, const std::string& status,
                                                     const std::string& actor, TimeMs now) {
  if (status != "approved" && status != "retired") return Status::Invalid("status: approved or retired");
  YQ_ASSIGN_OR_RETURN(store::TalkingPointRow r, store.GetTalkingPoint(id));
  if (r.status == status) return Status::Conflict("talking point " + std::to_string(id) + " is already " + status);
  if (status == "approved") {
    r.approved_by = actor;
    r.approved_at = now;
  }
  r.status = status;
  r.updated_at = now;
  YQ_RETURN_IF_ERROR(store.UpdateTalkingPoint(r));
  return r;
}

json TalkingPointToJson(const store::TalkingPointRow& r) {
  return {{"id", r.id}, {"topic", r.topic}, {"question", r.question}, {"answer", r.answer},
          {"incident_id", r.incident_id == 0 ? json(nullptr) : json(r.incident_id)},
          {"statement_id", r.statement_id == 0 ? json(nullptr) : json(r.statement_id)},
          {"status", r.status}, {"created_by", r.created_by}, {"created_at", FormatTime(r.created_at)},
          {"approved_by", r.approved_by}, {"approved_at", TimeOrNull(r.approved_at)},
          {"updated_at", FormatTime(r.updated_at)}};
}

}  // namespace yuqing::incident
