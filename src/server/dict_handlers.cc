#include "server/dict_handlers.h"

#include "server/handlers.h"
#include "store/user_dict_store.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

constexpr RoleSet kDictWriters = kAdmin | kAnalyst;  // like schemes: analysts tune search

json TimeOrNull(TimeMs t) { return t ? json(FormatTime(t)) : json(nullptr); }

// What the 词典 page shows under the words: whether search already uses them everywhere.
json IndexJson(const State& s) {
  app::DictStatus st = s.dict ? s.dict->status() : app::DictStatus{};
  return {{"version", st.version},
          {"index_version", st.index_version},
          {"current", st.current()},
          {"pending", st.pending},
          {"rebuilding", st.rebuilding},
          {"done", st.done},
          {"total", st.total},
          {"started_at", TimeOrNull(st.started_at)},
          {"finished_at", TimeOrNull(st.finished_at)},
          {"error", st.error}};
}

Result<Reply> ListWords(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto dict, store::UserDictStore::Open(*conn->db));
  YQ_ASSIGN_OR_RETURN(auto list, dict->List());
  json items = json::array();
  for (const auto& w : list) items.push_back({{"word", w.word}, {"added_at", FormatTime(w.added_at)}});
  return Reply(json{{"items", std::move(items)},
                    {"max_words", static_cast<int64_t>(store::kMaxUserWords)},
                    {"index", IndexJson(c.state)}});
}

// The new dictionary reaches segmentation and the index through State::dict, in the background.
void Changed(Ctx& c) {
  if (c.state.dict) c.state.dict->Notify();
}

Result<Reply> AddWords(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  std::vector<std::string> words;
  for (const auto& raw : body["words"]) {  // all checked before any is added
    auto w = store::NormalizeUserWord(*c.state.norm, raw.get<std::string>());
    if (!w.ok()) return Status::Invalid(w.status().message() + ": " + raw.get<std::string>());
    words.push_back(*w);
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto dict, store::UserDictStore::Open(*conn->db));
  json added = json::array();
  {
    store::Transaction tx(*conn->db);  // all or none, also when the bound is reached midway
    YQ_RETURN_IF_ERROR(tx.status());
    for (const auto& w : words) {
      YQ_ASSIGN_OR_RETURN(bool fresh, dict->Add(w, c.now()));
      if (fresh) added.push_back(w);
    }
    YQ_RETURN_IF_ERROR(tx.Commit());
  }
  if (!added.empty()) {
    c.Audit("dict.add", "dict", {{"words", added}});
    Changed(c);
  }
  Reply r(json{{"added", added}, {"index", IndexJson(c.state)}});
  r.status = added.empty() ? 200 : 201;
  return r;
}

Result<Reply> RemoveWord(Ctx& c) {
  auto w = store::NormalizeUserWord(*c.state.norm, c.PathParam(0));
  if (!w.ok()) return Status::NotFound("no word '" + c.PathParam(0) + "' in the dictionary");
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto dict, store::UserDictStore::Open(*conn->db));
  YQ_ASSIGN_OR_RETURN(bool removed, dict->Remove(*w));
  if (!removed) return Status::NotFound("no word '" + *w + "' in the dictionary");
  c.Audit("dict.remove", "dict", {{"words", json::array({*w})}});
  Changed(c);
  return Reply(json{{"removed", *w}, {"index", IndexJson(c.state)}});
}

}  // namespace

void AppendDictRoutes(std::vector<Route>& routes) {
  const std::vector<Route> mine = {
      {"GET", "/api/v1/dict", "dict",
       "The user dictionary (词典): its words, and whether the full-text index is current or being rebuilt "
       "(progress)",
       true, kAnyRole, ListWords},
      {"POST", "/api/v1/dict", "dict",
       "Add words (admin, analyst); segmentation and search use them at once, the index is rebuilt in the "
       "background; 201 when any was new",
       true, kDictWriters, AddWords, nullptr, {}, "{\"words\": [\"新冠\", ...]} (1-100 words, each 1-64 bytes)"},
      {"DELETE", "/api/v1/dict/{word}", "dict", "Remove a word (admin, analyst); the index is rebuilt in the background",
       true, kDictWriters, RemoveWord},
  };
  routes.insert(routes.end(), mine.begin(), mine.end());
}

}  // namespace yuqing::server
