#include "ingest/html_select.h"

#include <strings.h>

#include <algorithm>

namespace yuqing::ingest {
namespace {

bool IdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;  // non-ASCII class names are valid HTML
}

bool Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Result<Selector> Run() {
    Selector sel;
    sel.text = std::string(t_);
    if (t_.empty()) return Fail("is empty");
    if (t_.size() > 1000) return Fail("is longer than 1000 bytes");
    ComplexSelector cur;
    SkipSpace();
    while (true) {
      YQ_ASSIGN_OR_RETURN(SimpleSelector s, Compound());
      cur.parts.push_back(std::move(s));
      bool spaced = SkipSpace();
      if (i_ >= t_.size() || t_[i_] == ',') {
        if (cur.parts.size() > 32) return Fail("has more than 32 parts");
        std::reverse(cur.parts.begin(), cur.parts.end());
        std::reverse(cur.combinators.begin(), cur.combinators.end());
        sel.alternatives.push_back(std::move(cur));
        cur = {};
        if (i_ >= t_.size()) break;
        ++i_;
        SkipSpace();
        continue;
      }
      if (t_[i_] == '>') {
        ++i_;
        SkipSpace();
        cur.combinators.push_back('>');
      } else if (spaced) {
        cur.combinators.push_back(' ');
      } else {
        return Unsupported();
      }
    }
    return sel;
  }

 private:
  Status Fail(const std::string& what) const {
    return Status::Invalid("selector '" + std::string(t_) + "' " + what);
  }
  Status Unsupported() const {
    return Fail("uses '" + std::string(1, t_[i_]) + "' at column " + std::to_string(i_ + 1) +
                ", outside the supported subset (tag .class #id [attr] [attr=value], descendant, >, ,)");
  }
  bool SkipSpace() {
    size_t start = i_;
    while (i_ < t_.size() && Space(t_[i_])) ++i_;
    return i_ > start;
  }
  std::string Ident() {
    size_t start = i_;
    while (i_ < t_.size() && IdentChar(t_[i_])) ++i_;
    return std::string(t_.substr(start, i_ - start));
  }

  Result<SimpleSelector> Compound() {
    SimpleSelector s;
    bool any = false;
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (c == '*' && !any) {
        ++i_;
        s.tag = "*";
      } else if (IdentChar(c) && !any) {
        s.tag = Ident();
      } else if (c == '.' || c == '#') {
        ++i_;
        std::string name = Ident();
        if (name.empty()) return Fail("needs a name after '" + std::string(1, c) + "' at column " + std::to_string(i_ + 1));
        if (c == '.') s.classes.push_back(std::move(name));
        else s.id = std::move(name);
      } else if (c == '[') {
        ++i_;
        SkipSpace();
        SimpleSelector::Attr a;
        a.name = Ident();
        if (a.name.empty()) return Fail("needs an attribute name at column " + std::to_string(i_ + 1));
        SkipSpace();
        if (i_ < t_.size() && t_[i_] == '=') {
          ++i_;
          SkipSpace();
          a.has_value = true;
          if (i_ < t_.size() && (t_[i_] == '"' || t_[i_] == '\'')) {
            char q = t_[i_++];
            size_t end = t_.find(q, i_);
            if (end == std::string_view::npos) return Fail("has an unclosed quote at column " + std::to_string(i_));
            a.value = std::string(t_.substr(i_, end - i_));
            i_ = end + 1;
          } else {
            a.value = Ident();
          }
          SkipSpace();
        }
        if (i_ >= t_.size() || t_[i_] != ']') return i_ >= t_.size() ? Fail("misses ']'") : Unsupported();
        ++i_;
        s.attrs.push_back(std::move(a));
      } else {
        break;
      }
      any = true;
    }
    if (!any) {
      if (i_ >= t_.size()) return Fail("ends where a tag, .class, #id or [attr] was expected");
      return Unsupported();
    }
    return s;
  }

  std::string_view t_;
  size_t i_ = 0;
};

const char* TagName(const GumboNode* n) {
  const GumboElement& e = n->v.element;
  if (e.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.tag);
  return nullptr;
}

bool HasClass(const GumboNode* n, const std::string& cls) {
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, "class");
  if (!a) return false;
  std::string_view v(a->value);
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && Space(v[i])) ++i;
    size_t j = i;
    while (j < v.size() && !Space(v[j])) ++j;
    if (v.substr(i, j - i) == cls) return true;
    i = j;
  }
  return false;
}

bool MatchesSimple(const GumboNode* n, const SimpleSelector& s) {
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  if (!s.tag.empty() && s.tag != "*") {
    const char* name = TagName(n);
    std::string unknown;
    if (!name) {  // a tag gumbo does not know: compare its original name
      GumboStringPiece piece = n->v.element.original_tag;
      gumbo_tag_from_original_text(&piece);
      unknown.assign(piece.data, piece.length);
      name = unknown.c_str();
    }
    if (strcasecmp(name, s.tag.c_str()) != 0) return false;
  }
  if (!s.id.empty()) {
    const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, "id");
    if (!a || s.id != a->value) return false;
  }
  for (const auto& c : s.classes)
    if (!HasClass(n, c)) return false;
  for (const auto& at : s.attrs) {
    const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, at.name.c_str());
    if (!a || (at.has_value && at.value != a->value)) return false;
  }
  return true;
}

bool BreaksWords(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_BR: case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: case GUMBO_TAG_TR: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_TABLE:
      return true;
    default:
      return false;
  }
}

bool IsElement(const GumboNode* n) { return n && n->type == GUMBO_NODE_ELEMENT; }

// parts[i] matches n, and the rest of the chain matches n's ancestors.
bool MatchesFrom(const GumboNode* n, const ComplexSelector& c, size_t i) {
  if (!MatchesSimple(n, c.parts[i])) return false;
  if (i + 1 == c.parts.size()) return true;
  const GumboNode* p = n->parent;
  if (c.combinators[i] == '>') return IsElement(p) && MatchesFrom(p, c, i + 1);
  for (; IsElement(p); p = p->parent)
    if (MatchesFrom(p, c, i + 1)) return true;
  return false;
}

bool Matches(const GumboNode* n, const Selector& sel) {
  for (const auto& c : sel.alternatives)
    if (MatchesFrom(n, c, 0)) return true;
  return false;
}

template <typename F>
void ForEachDescendant(const GumboNode* scope, F&& f) {
  std::vector<const GumboNode*> stack;
  auto push_children = [&stack](const GumboNode* n) {
    const GumboVector* kids = n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children
                              : (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
                                  ? &n->v.element.children
                                  : nullptr;
    if (!kids) return;
    for (unsigned i = kids->length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
  };
  push_children(scope);
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (!f(n)) return;
    push_children(n);
  }
}

}  // namespace

Result<Selector> ParseSelector(std::string_view text) {
  while (!text.empty() && Space(text.front())) text.remove_prefix(1);
  while (!text.empty() && Space(text.back())) text.remove_suffix(1);
  return Parser(text).Run();
}

std::vector<const GumboNode*> SelectAll(const GumboNode* scope, const Selector& sel) {
  std::vector<const GumboNode*> out;
  ForEachDescendant(scope, [&](const GumboNode* n) {
    if (n->type == GUMBO_NODE_ELEMENT && Matches(n, sel)) out.push_back(n);
    return true;
  });
  return out;
}

const GumboNode* SelectFirst(const GumboNode* scope, const Selector& sel) {
  const GumboNode* found = nullptr;
  ForEachDescendant(scope, [&](const GumboNode* n) {
    if (n->type == GUMBO_NODE_ELEMENT && Matches(n, sel)) found = n;
    return found == nullptr;
  });
  return found;
}

std::string NodeText(const GumboNode* node) {
  std::string out;
  auto add = [&out](std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      bool ws = Space(c);
      if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') ws = true, ++i;
      if (ws) {
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
      } else {
        out.push_back(c);
      }
    }
  };
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) add(node->v.text.text);
  std::vector<const GumboNode*> skip_under;
  ForEachDescendant(node, [&](const GumboNode* n) {
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
      for (const GumboNode* p = n->parent; p && p != node; p = p->parent)
        if (p->type == GUMBO_NODE_ELEMENT &&
            (p->v.element.tag == GUMBO_TAG_SCRIPT || p->v.element.tag == GUMBO_TAG_STYLE))
          return true;
      add(n->v.text.text);
    } else if (n->type == GUMBO_NODE_ELEMENT && BreaksWords(n->v.element.tag)) {
      add(" ");  // "9:05</span><p>下雨" reads as two words
    }
    return true;
  });
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

std::string NodeAttr(const GumboNode* node, const char* name) {
  if (!IsElement(node)) return {};
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? a->value : "";
}

}  // namespace yuqing::ingest
