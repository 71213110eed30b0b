#include "rules/fts_query.h"

#include <optional>
#include <vector>

namespace yuqing::rules {
namespace {

std::string Quote(const std::string& term) {
  std::string out = "\"";
  for (char c : term) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

class Translator {
 public:
  explicit Translator(ParseError& err) : err_(err) {}

  // The node as an FTS5 expression, or nullopt with err_ filled.
  std::optional<std::string> Expr(const Node& n) {
    switch (n.kind) {
      case Node::kTerm: return Term(n);
      case Node::kNear: {
        auto scope = Scope(n.children[0]);
        if (!scope) return std::nullopt;
        // FTS5 counts tokens, the scheme language characters: a word is at least one character,
        // so n tokens cover every pair within n characters (and a few pairs further apart).
        return *scope + "NEAR(" + Quote(n.children[0].term) + " " + Quote(n.children[1].term) + ", " +
               std::to_string(n.distance) + ")";
      }
      case Node::kOr: {
        std::string out;
        for (const Node& c : n.children) {
          if (c.kind == Node::kNot) return Fail(c, "NOT inside OR needs a word beside it: write (a NOT b) OR c",
                                                "OR 中的 NOT 需要与词语并列：请写成 (a NOT b) OR c");
          auto e = Expr(c);
          if (!e) return std::nullopt;
          out += (out.empty() ? "(" : " OR (") + *e + ")";
        }
        return out;
      }
      case Node::kAnd: {
        std::string pos, neg;
        for (const Node& c : n.children) {
          if (c.kind == Node::kNot) {
            auto e = Expr(c.children[0]);
            if (!e) return std::nullopt;
            neg += " NOT (" + *e + ")";
          } else {
            auto e = Expr(c);
            if (!e) return std::nullopt;
            pos += (pos.empty() ? "(" : " AND (") + *e + ")";
          }
        }
        if (pos.empty()) return Fail(n, "needs at least one word that is not excluded", "至少需要一个未排除的词语");
        return neg.empty() ? pos : "(" + pos + ")" + neg;
      }
      case Node::kNot:
        return Fail(n, "NOT needs a word before it (a NOT b)", "NOT 前面需要词语（a NOT b）");
      case Node::kVerified:
      case Node::kFollowers:
        return Fail(n, "author filters are for schemes; post search cannot use them",
                    "作者条件只用于监测方案，帖子检索不支持");
    }
    return Fail(n, "unsupported", "不支持");
  }

 private:
  std::optional<std::string> Term(const Node& n) {
    auto scope = Scope(n);
    if (!scope) return std::nullopt;
    return *scope + Quote(n.term);
  }

  // "" (title and text), "{title} : " or "{text} : "; other fields are not in the full-text index.
  std::optional<std::string> Scope(const Node& n) {
    if ((n.fields & kDefaultFields) == kDefaultFields && n.fields == kDefaultFields) return std::string();
    if (n.fields == kFieldTitle) return std::string("{title} : ");
    if (n.fields == kFieldText) return std::string("{text} : ");
    return Fail(n, "only title: and text: can be searched here (use the source, region filters for the others)",
                "检索只支持 title: 与 text: 字段（来源、地域请用筛选条件）");
  }

  std::nullopt_t Fail(const Node& n, std::string en, std::string zh) {
    if (err_.column == 0 && err_.en.empty()) {
      err_.column = n.column;
      err_.en = std::move(en);
      err_.zh = std::move(zh);
    }
    return std::nullopt;
  }

  ParseError& err_;
};

}  // namespace

Result<std::string> ToFtsMatch(std::string_view query, const text::Normalizer& norm, ParseError* error) {
  ParseError local;
  ParseError& err = error ? *error : local;
  auto q = ParseQuery(query, norm, {}, &err);
  if (!q.ok()) return q.status();
  Translator t(err);
  auto expr = t.Expr(q->root);
  if (!expr) return Status::Invalid(err.Message(false));
  return *expr;
}

}  // namespace yuqing::rules
