#include "incident/statement_rules.h"

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "incident/wide_text.h"

namespace yuqing::incident {
namespace {

std::wstring FoldAll(const std::wstring& w, const FoldFn& fold, bool keep_ascii) {
  std::wstring out(w);
  for (wchar_t& c : out) {
    if (keep_ascii && c < 0x80) continue;
    c = static_cast<wchar_t>(fold(static_cast<uint32_t>(c)));
  }
  return out;
}

class Parser {
 public:
  explicit Parser(const FoldFn& fold) : fold_(fold) {}

  Status StringList(const YAML::Node& n, const std::string& field, std::vector<std::string>& out) {
    if (!n) return Status::Ok();
    if (n.IsScalar()) {
      out.push_back(n.as<std::string>());
      return Status::Ok();
    }
    if (!n.IsSequence()) return Status::Invalid(field + ": expected a list of strings");
    for (size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) return Status::Invalid(field + "[" + std::to_string(i) + "]: expected a string");
      out.push_back(n[i].as<std::string>());
    }
    return Status::Ok();
  }

  // `node` holds terms: [...] and regex: [...] (prefix selects e.g. "unless_terms").
  Status MatcherFrom(const YAML::Node& node, const std::string& terms_key, const std::string& regex_key,
                     const std::string& where, Matcher& m) {
    std::vector<std::string> terms, regex;
    YQ_RETURN_IF_ERROR(StringList(node[terms_key], where + terms_key, terms));
    YQ_RETURN_IF_ERROR(StringList(node[regex_key], where + regex_key, regex));
    for (size_t i = 0; i < terms.size(); ++i) {
      if (terms[i].empty())
        return Status::Invalid(where + terms_key + "[" + std::to_string(i) + "]: empty term");
      m.terms.push_back(FoldAll(Widen(terms[i]), fold_, false));
    }
    for (size_t i = 0; i < regex.size(); ++i) {
      try {
        // Non-ASCII characters are folded like the text; ASCII is left alone so escapes such as
        // \S keep their meaning.
        m.regex.emplace_back(FoldAll(Widen(regex[i]), fold_, true), std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& e) {
        return Status::Invalid(where + regex_key + "[" + std::to_string(i) + "]: bad regular expression '" +
                               regex[i] + "': " + e.what());
      }
    }
    return Status::Ok();
  }

  Status MessageFrom(const YAML::Node& n, const std::string& field, Message& m, bool required) {
    if (!n) return required ? Status::Invalid(field + ": missing (give zh and en)") : Status::Ok();
    if (n.IsScalar()) {
      m.zh = n.as<std::string>();
      return Status::Ok();
    }
    if (!n.IsMap()) return Status::Invalid(field + ": expected {zh: ..., en: ...}");
    if (n["zh"]) m.zh = n["zh"].as<std::string>();
    if (n["en"]) m.en = n["en"].as<std::string>();
    if (m.zh.empty()) return Status::Invalid(field + ".zh: missing");
    return Status::Ok();
  }

  Status RuleFrom(const YAML::Node& n, const std::string& where, Rule& r) {
    if (!n.IsMap()) return Status::Invalid(where + ": expected a mapping");
    static const char* kKnown[] = {"id", "principle", "severity", "scope", "check", "threshold", "terms",
                                   "regex", "unless_terms", "unless_regex", "unless_time", "in_promise",
                                   "when_any", "when_any_regex", "require_any", "require_any_regex",
                                   "when_facts_below", "severity_without_dated_commitment", "message", "prefilter_regex",
                                   "reason", "question", "severity_before_facts", "share", "prefilter"};
    for (const auto& kv : n) {
      std::string key = kv.first.as<std::string>();
      bool known = false;
      for (const char* k : kKnown) known = known || key == k;
      if (!known) return Status::Invalid(where + "." + key + ": unknown field");
    }
    if (!n["id"]) return Status::Invalid(where + ".id: missing");
    r.id = n["id"].as<std::string>();
    const std::string at = where + " (" + r.id + ").";
    std::string p = n["principle"] ? n["principle"].as<std::string>() : "";
    if (p == "humble") r.principle = Principle::kHumble;
    else if (p == "authoritative") r.principle = Principle::kAuthoritative;
    else if (p == "honest") r.principle = Principle::kHonest;
    else if (p == "restrained") r.principle = Principle::kRestrained;
    else return Status::Invalid(at + "principle: '" + p + "' is not humble, authoritative, honest or restrained");
    YQ_ASSIGN_OR_RETURN(r.severity, SeverityFrom(n["severity"], at + "severity"));
    if (n["severity_without_dated_commitment"]) {
      YQ_ASSIGN_OR_RETURN(Severity s, SeverityFrom(n["severity_without_dated_commitment"],
                                                   at + "severity_without_dated_commitment"));
      r.severity_without_dated_commitment = s;
    }
    if (n["severity_before_facts"]) {
      YQ_ASSIGN_OR_RETURN(Severity s, SeverityFrom(n["severity_before_facts"], at + "severity_before_facts"));
      r.severity_before_facts = s;
    }
    std::string scope = n["scope"] ? n["scope"].as<std::string>() : "sentence";
    if (scope != "sentence" && scope != "statement")
      return Status::Invalid(at + "scope: '" + scope + "' is not sentence or statement");
    r.statement_scope = scope == "statement";
    std::string check = n["check"] ? n["check"].as<std::string>() : "";
    if (check.empty()) r.check = Check::kNone;
    else if (check == "no_facts") r.check = Check::kNoFacts;
    else if (check == "few_facts") r.check = Check::kFewFacts;
    else if (check == "no_next_update") r.check = Check::kNoNextUpdate;
    else if (check == "repetition") r.check = Check::kRepetition;
    else if (check == "statement_length") r.check = Check::kStatementLength;
    else if (check == "sentence_length") r.check = Check::kSentenceLength;
    else if (check == "boilerplate") r.check = Check::kBoilerplate;
    else return Status::Invalid(at + "check: unknown check '" + check + "'");
    if (n["threshold"]) r.threshold = n["threshold"].as<double>();
    if (n["when_facts_below"]) r.when_facts_below = n["when_facts_below"].as<int>();
    if (n["unless_time"]) r.unless_time = n["unless_time"].as<bool>();
    if (n["in_promise"]) r.in_promise = n["in_promise"].as<bool>();
    if (n["question"]) r.question = n["question"].as<bool>();
    if (n["share"]) r.share = n["share"].as<double>();
    YQ_RETURN_IF_ERROR(MatcherFrom(n, "terms", "regex", at, r.match));
    YQ_RETURN_IF_ERROR(MatcherFrom(n, "unless_terms", "unless_regex", at, r.unless));
    YQ_RETURN_IF_ERROR(MatcherFrom(n, "prefilter", "prefilter_regex", at, r.prefilter));
    YQ_RETURN_IF_ERROR(MatcherFrom(n, "when_any", "when_any_regex", at, r.when_any));
    YQ_RETURN_IF_ERROR(MatcherFrom(n, "require_any", "require_any_regex", at, r.require_any));
    YQ_RETURN_IF_ERROR(MessageFrom(n["message"], at + "message", r.message, true));
    if (n["reason"]) r.reason = n["reason"].as<std::string>();
    if (r.check == Check::kNone && !r.statement_scope && r.match.empty())
      return Status::Invalid(at + "terms: a sentence rule needs terms or regex");
    if (r.statement_scope && r.check == Check::kNone && r.when_any.empty() && r.require_any.empty())
      return Status::Invalid(at + "when_any: a statement rule needs when_any or require_any");
    if ((r.check == Check::kFewFacts || r.check == Check::kRepetition || r.check == Check::kStatementLength ||
         r.check == Check::kSentenceLength || r.check == Check::kBoilerplate) &&
        r.threshold <= 0)
      return Status::Invalid(at + "threshold: this check needs a positive threshold");
    if (r.check == Check::kBoilerplate && r.match.empty())
      return Status::Invalid(at + "terms: the boilerplate check needs the phrases in terms or regex");
    return Status::Ok();
  }

  Result<Severity> SeverityFrom(const YAML::Node& n, const std::string& field) {
    std::string s = n ? n.as<std::string>() : "";
    if (s == "error") return Severity::kError;
    if (s == "warning") return Severity::kWarning;
    if (s == "info") return Severity::kInfo;
    return Status::Invalid(field + ": '" + s + "' is not error, warning or info");
  }

  Result<RuleSet> Parse(const YAML::Node& root) {
    if (!root.IsMap()) return Status::Invalid("rule file: expected a mapping at the top");
    RuleSet rs;
    if (root["version"]) rs.version = root["version"].as<int>();
    if (rs.version != 1) return Status::Invalid("version: only version 1 is understood");
    if (root["skip_quoted"]) rs.skip_quoted = root["skip_quoted"].as<bool>();
    const YAML::Node facts = root["facts"];
    if (!facts || !facts.IsSequence() || facts.size() == 0) return Status::Invalid("facts: expected a list");
    for (size_t i = 0; i < facts.size(); ++i) {
      std::string where = "facts[" + std::to_string(i) + "]";
      FactKind f;
      if (!facts[i]["kind"]) return Status::Invalid(where + ".kind: missing");
      f.kind = facts[i]["kind"].as<std::string>();
      YQ_RETURN_IF_ERROR(MessageFrom(facts[i]["name"], where + ".name", f.name, true));
      if (facts[i]["from_times"]) f.from_times = facts[i]["from_times"].as<bool>();
      if (facts[i]["in_sentences"]) f.in_sentences = facts[i]["in_sentences"].as<bool>();
      YQ_RETURN_IF_ERROR(MatcherFrom(facts[i], "terms", "regex", where + ".", f.match));
      if (f.match.empty() && !f.from_times) return Status::Invalid(where + ".terms: a fact kind needs terms or regex");
      rs.facts.push_back(std::move(f));
    }
    const YAML::Node c = root["commitments"];
    if (!c || !c.IsMap()) return Status::Invalid("commitments: expected a mapping");
    YQ_RETURN_IF_ERROR(MatcherFrom(c, "markers", "markers_regex", "commitments.", rs.commitments.markers));
    YQ_RETURN_IF_ERROR(MatcherFrom(c, "marker_excludes", "marker_excludes_regex", "commitments.",
                                   rs.commitments.marker_excludes));
    YQ_RETURN_IF_ERROR(MatcherFrom(c, "actions", "actions_regex", "commitments.", rs.commitments.actions));
    YQ_RETURN_IF_ERROR(MatcherFrom(c, "past", "past_regex", "commitments.", rs.commitments.past));
    YQ_RETURN_IF_ERROR(MatcherFrom(c, "past_excludes", "past_excludes_regex", "commitments.",
                                   rs.commitments.past_excludes));
    YQ_RETURN_IF_ERROR(MatcherFrom(c, "reported_promises", "reported_promises_regex", "commitments.",
                                   rs.commitments.reported_promises));
    if (rs.commitments.markers.empty()) return Status::Invalid("commitments.markers: missing");
    if (rs.commitments.actions.empty()) return Status::Invalid("commitments.actions: missing");
    const YAML::Node rules = root["rules"];
    if (!rules || !rules.IsSequence()) return Status::Invalid("rules: expected a list");
    for (size_t i = 0; i < rules.size(); ++i) {
      Rule r;
      YQ_RETURN_IF_ERROR(RuleFrom(rules[i], "rules[" + std::to_string(i) + "]", r));
      for (const Rule& other : rs.rules)
        if (other.id == r.id) return Status::Invalid("rules[" + std::to_string(i) + "].id: duplicate id '" + r.id + "'");
      rs.rules.push_back(std::move(r));
    }
    return rs;
  }

 private:
  const FoldFn& fold_;
};

}  // namespace

const char* PrincipleName(Principle p) {
  switch (p) {
    case Principle::kHumble: return "humble";
    case Principle::kAuthoritative: return "authoritative";
    case Principle::kHonest: return "honest";
    case Principle::kRestrained: return "restrained";
  }
  return "?";
}

const char* PrincipleNameZh(Principle p) {
  switch (p) {
    case Principle::kHumble: return "谦和";
    case Principle::kAuthoritative: return "权威";
    case Principle::kHonest: return "诚信";
    case Principle::kRestrained: return "节制";
  }
  return "?";
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "?";
}

std::pair<size_t, size_t> Matcher::Find(const std::wstring& text, size_t begin, size_t end) const {
  size_t best = std::wstring::npos, best_end = std::wstring::npos;
  const std::wstring_view span = std::wstring_view(text).substr(begin, end - begin);
  for (const std::wstring& t : terms) {
    size_t p = span.find(t);
    if (p != std::wstring_view::npos && begin + p < best) best = begin + p, best_end = begin + p + t.size();
  }
  for (const std::wregex& re : regex) {
    std::wsmatch m;
    auto b = text.begin() + static_cast<std::ptrdiff_t>(begin);
    auto e = text.begin() + static_cast<std::ptrdiff_t>(end);
    if (std::regex_search(b, e, m, re) && m.length(0) > 0) {
      size_t p = begin + static_cast<size_t>(m.position(0));
      if (p < best) best = p, best_end = p + static_cast<size_t>(m.length(0));
    }
  }
  return {best, best_end};
}

Result<RuleSet> ParseRules(std::string_view text, const FoldFn& fold) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return Parser(fold).Parse(root);
  } catch (const YAML::Exception& e) {
    return Status::Invalid(std::string("rule file: ") + e.what());
  }
}

Result<RuleSet> LoadRules(const std::string& path, const FoldFn& fold) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("cannot read rule file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = ParseRules(ss.str(), fold);
  if (!r.ok()) return Status(r.status().code(), path + ": " + r.status().message());
  return r;
}

}  // namespace yuqing::incident
