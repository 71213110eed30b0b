#include "rules/query.h"

#include "text/utf8.h"

namespace yuqing::rules {

const char* FieldName(int index) {
  static constexpr const char* kNames[kNumFields] = {"title", "text", "author", "source",
                                                     "channel", "region", "lang"};
  return index >= 0 && index < kNumFields ? kNames[index] : "";
}

bool NeedsBoundaryBefore(std::string_view term) {
  if (term.empty()) return false;
  size_t i = 0;
  return IsWordChar(text::DecodeUtf8(term, i));
}

bool NeedsBoundaryAfter(std::string_view term) {
  if (term.empty()) return false;
  size_t i = term.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(term[i]) & 0xC0) == 0x80) --i;
  return IsWordChar(text::DecodeUtf8(term, i));
}

namespace {
std::string FieldPrefix(FieldMask m) {
  if (m == kDefaultFields) return "";
  std::string s;
  for (int i = 0; i < kNumFields; ++i) {
    if (m & (1 << i)) {
      if (!s.empty()) s += "|";
      s += FieldName(i);
    }
  }
  return s + ":";
}
}  // namespace

std::string ToString(const Node& n) {
  switch (n.kind) {
    case Node::kTerm:
      if (!n.phrase) return FieldPrefix(n.fields) + n.term;
      {
        std::string q = "\"";
        for (size_t i = 0; i < n.term.size(); ++i) {
          char c = n.term[i];
          bool curly = n.term.compare(i, 3, "\u201c") == 0 || n.term.compare(i, 3, "\u201d") == 0;
          if (c == '"' || c == '\\' || curly) q.push_back('\\');
          q.push_back(c);
        }
        return FieldPrefix(n.fields) + q + "\"";
      }
    case Node::kNear:
      return "(" + ToString(n.children[0]) + " NEAR/" + std::to_string(n.distance) + " " +
             ToString(n.children[1]) + ")";
    case Node::kAnd:
    case Node::kOr: {
      std::string s = "(";
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) s += n.kind == Node::kAnd ? " AND " : " OR ";
        s += ToString(n.children[i]);
      }
      return s + ")";
    }
    case Node::kNot:
      return "NOT " + ToString(n.children[0]);
    case Node::kVerified:
      return std::string("author.verified:") + (n.bool_value ? "true" : "false");
    case Node::kFollowers: {
      static constexpr const char* kOps[] = {"=", ">", ">=", "<", "<="};
      return std::string("author.followers:") + kOps[static_cast<int>(n.op)] + std::to_string(n.number);
    }
  }
  return "";
}

}  // namespace yuqing::rules
