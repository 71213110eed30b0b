// The query parser: a lexer over code points (so columns count characters) and a recursive
// descent parser with an explicit depth bound. Failures are recorded, never thrown.
#include <charconv>
#include <cstring>

#include "rules/query.h"
#include "text/utf8.h"

namespace yuqing::rules {
namespace {

struct Char {
  uint32_t raw;
  uint32_t folded;
  int column;
};

enum class Tok : uint8_t { kWord, kPhrase, kLParen, kRParen, kAnd, kOr, kNot, kMinus, kNear, kField, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  int column = 0;
  std::string text;  // kWord / kPhrase: normalised text; kField: the field name
  int number = 0;    // kNear: distance
  int chars = 0;     // characters in text
};

// The text fields a scope can name, and the two author filters.
struct FieldSpec {
  const char* name;
  FieldMask mask;  // 0 for filters
};
constexpr FieldSpec kFieldSpecs[] = {
    {"title", kFieldTitle},   {"text", kFieldText},       {"author", kFieldAuthor},
    {"source", kFieldSource}, {"channel", kFieldChannel}, {"region", kFieldRegion},
    {"lang", kFieldLang},     {"author.verified", 0},     {"author.followers", 0},
};

bool IsSpace(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000;
}
bool IsQuote(uint32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x201D; }
bool IsDelimiter(uint32_t cp) { return IsSpace(cp) || cp == '(' || cp == ')' || IsQuote(cp); }

Token Make(Tok kind, int column, std::string text = "", int number = 0, int chars = 0) {
  Token t;
  t.kind = kind;
  t.column = column;
  t.text = std::move(text);
  t.number = number;
  t.chars = chars;
  return t;
}

std::string TokName(const Token& t) {
  switch (t.kind) {
    case Tok::kWord: return "'" + t.text + "'";
    case Tok::kPhrase: return "\"" + t.text + "\"";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kAnd: return "'AND'";
    case Tok::kOr: return "'OR'";
    case Tok::kNot: return "'NOT'";
    case Tok::kMinus: return "'-'";
    case Tok::kNear: return "'NEAR/" + std::to_string(t.number) + "'";
    case Tok::kField: return "'" + t.text + ":'";
    case Tok::kEnd: break;
  }
  return "";
}
std::string FoundEn(const Token& t) { return t.kind == Tok::kEnd ? "the end of the query" : TokName(t); }
std::string FoundZh(const Token& t) { return t.kind == Tok::kEnd ? "查询结尾" : TokName(t); }

class Parser {
 public:
  Parser(const text::Normalizer& norm, const ParseOptions& opts) : norm_(norm), opts_(opts) {}

  bool Run(std::string_view q, Query& out) {
    if (q.size() > opts_.max_query_bytes)
      return Fail(0, "the query is longer than " + std::to_string(opts_.max_query_bytes) + " bytes",
                  "查询超过 " + std::to_string(opts_.max_query_bytes) + " 字节");
    if (!Decode(q) || !Lex()) return false;
    if (tokens_.size() == 1) return Fail(0, "the query is empty", "查询为空");
    if (!ParseOr(out.root, 0)) return false;
    if (Peek().kind != Tok::kEnd) {
      const Token& t = Peek();
      if (t.kind == Tok::kRParen)
        return Fail(t.column, "unexpected ')' without a matching '('", "多余的 ')'，前面没有对应的 '('");
      return Fail(t.column, "expected an operator or the end of the query, found " + FoundEn(t),
                  "此处应为运算符或查询结尾，却是 " + FoundZh(t));
    }
    if (!RequiresPositiveTerm(out.root))
      return Fail(1,
                  "the query can match a post that contains none of its words (only NOT or author "
                  "filters); add a word the post must contain",
                  "查询不含必须出现的检索词（只有 NOT 或作者条件），会匹配几乎所有内容；请加入必须出现的词");
    out.term_count = terms_;
    return true;
  }

  ParseError error;

 private:
  bool Fail(int column, std::string en, std::string zh) {
    if (!failed_) {
      failed_ = true;
      error.column = column;
      error.en = std::move(en);
      error.zh = std::move(zh);
    }
    return false;
  }

  // ---- lexing
  bool Decode(std::string_view q) {
    int column = 1;
    for (size_t i = 0; i < q.size();) {
      size_t start = i;
      uint32_t cp = text::DecodeUtf8(q, i);
      if (cp == 0xFFFD && !(i - start == 3 && static_cast<unsigned char>(q[start]) == 0xEF))
        return Fail(column, "invalid UTF-8", "含有无效的 UTF-8 字节");
      if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return Fail(column, "invalid UTF-8", "含有无效的 UTF-8 字节");
      chars_.push_back({cp, norm_.Fold(cp), column++});
    }
    end_column_ = column;
    return true;
  }

  bool Lex() {
    size_t i = 0, n = chars_.size();
    while (i < n) {
      const Char& c = chars_[i];
      if (IsSpace(c.folded)) {
        ++i;
      } else if (c.folded == '(') {
        tokens_.push_back(Make(Tok::kLParen, c.column));
        ++i;
      } else if (c.folded == ')') {
        tokens_.push_back(Make(Tok::kRParen, c.column));
        ++i;
      } else if (IsQuote(c.raw) || IsQuote(c.folded)) {
        if (!LexPhrase(i)) return false;
      } else if (c.folded == '-' && (i == 0 || IsDelimiter(chars_[i - 1].folded) || chars_[i - 1].folded == ':' ||
                                     (tokens_.size() > 0 && tokens_.back().kind == Tok::kMinus &&
                                      tokens_.back().column == chars_[i - 1].column))) {
        if (i + 1 >= n || IsSpace(chars_[i + 1].folded) || chars_[i + 1].folded == ')')
          return Fail(c.column, "'-' must be followed directly by the term it excludes",
                      "'-' 后面应紧跟要排除的词");
        tokens_.push_back(Make(Tok::kMinus, c.column));
        ++i;
      } else {
        if (!LexWord(i)) return false;
      }
    }
    tokens_.push_back(Make(Tok::kEnd, end_column_));
    return true;
  }

  bool LexPhrase(size_t& i) {
    int open = chars_[i].column;
    ++i;
    std::string body;
    int count = 0;
    bool closed = false;
    while (i < chars_.size()) {
      const Char& c = chars_[i];
      if (c.raw == '\\' && i + 1 < chars_.size()) {
        uint32_t e = chars_[i + 1].folded;
        text::AppendUtf8(body, IsSpace(e) ? ' ' : e);
        ++count;
        i += 2;
        continue;
      }
      if (IsQuote(c.raw) || IsQuote(c.folded)) {
        closed = true;
        ++i;
        break;
      }
      text::AppendUtf8(body, IsSpace(c.folded) ? ' ' : c.folded);
      ++count;
      ++i;
    }
    if (!closed)
      return Fail(end_column_, "expected '\"' to close the phrase opened at column " + std::to_string(open),
                  "缺少 '\"'，无法闭合第 " + std::to_string(open) + " 列开始的短语");
    // Trim spaces at both ends: they cannot be seen by whoever reads the query.
    size_t b = body.find_first_not_of(' '), e = body.find_last_not_of(' ');
    std::string trimmed = b == std::string::npos ? "" : body.substr(b, e - b + 1);
    count -= static_cast<int>(body.size() - trimmed.size());
    if (trimmed.empty()) return Fail(open, "empty phrase \"\"", "空短语 \"\"");
    tokens_.push_back(Make(Tok::kPhrase, open, std::move(trimmed), 0, count));
    return true;
  }

  bool LexWord(size_t& i) {
    size_t start = i;
    std::string raw, folded;
    int count = 0;
    while (i < chars_.size() && !IsDelimiter(chars_[i].folded) && !IsQuote(chars_[i].raw)) {
      const Char& c = chars_[i];
      if (c.folded == ':' && count > 0) {
        bool all_field_chars = true;
        for (char ch : folded) all_field_chars &= (ch >= 'a' && ch <= 'z') || ch == '.';
        for (const FieldSpec& f : kFieldSpecs) {
          if (folded == f.name) {
            tokens_.push_back(Make(Tok::kField, chars_[start].column, folded));
            ++i;
            return true;
          }
        }
        if (all_field_chars) {
          return Fail(chars_[start].column,
                      "unknown field '" + folded +
                          ":' (fields: title, text, author, source, channel, region, lang, "
                          "author.verified, author.followers; quote the term to search for a colon)",
                      "未知字段 '" + folded +
                          ":'（可用字段：title、text、author、source、channel、region、lang、"
                          "author.verified、author.followers；要检索冒号请加引号）");
        }
      }
      text::AppendUtf8(raw, c.raw);
      text::AppendUtf8(folded, c.folded);
      ++count;
      ++i;
    }
    int column = chars_[start].column;
    if (raw == "AND") {
      tokens_.push_back(Make(Tok::kAnd, column));
    } else if (raw == "OR") {
      tokens_.push_back(Make(Tok::kOr, column));
    } else if (raw == "NOT") {
      tokens_.push_back(Make(Tok::kNot, column));
    } else if (raw.rfind("NEAR", 0) == 0 && (raw.size() == 4 || raw[4] == '/')) {
      const char* b = raw.data() + std::min<size_t>(raw.size(), 5);
      const char* e = raw.data() + raw.size();
      int n = 0;
      auto r = std::from_chars(b, e, n);
      if (raw.size() <= 5 || r.ec != std::errc() || r.ptr != e || n < 0 || n > opts_.max_near)
        return Fail(column,
                    "NEAR needs a distance from 0 to " + std::to_string(opts_.max_near) + ", e.g. NEAR/5",
                    "NEAR 需要 0 到 " + std::to_string(opts_.max_near) + " 之间的距离，例如 NEAR/5");
      tokens_.push_back(Make(Tok::kNear, column, "", n));
    } else {
      tokens_.push_back(Make(Tok::kWord, column, std::move(folded), 0, count));
    }
    return true;
  }

  // ---- parsing
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  static bool StartsOperand(Tok k) {
    return k == Tok::kWord || k == Tok::kPhrase || k == Tok::kLParen || k == Tok::kNot ||
           k == Tok::kMinus || k == Tok::kField;
  }

  bool ExpectOperandAfter(const Token& op) {
    if (StartsOperand(Peek().kind)) return true;
    if (Peek().kind == Tok::kRParen || Peek().kind == Tok::kEnd || Peek().kind == Tok::kAnd ||
        Peek().kind == Tok::kOr || Peek().kind == Tok::kNear) {
      return Fail(Peek().column,
                  "expected a term after " + TokName(op) + " at column " + std::to_string(op.column) +
                      ", found " + FoundEn(Peek()),
                  "第 " + std::to_string(op.column) + " 列的 " + TokName(op) + " 后面缺少检索词，却是 " +
                      FoundZh(Peek()));
    }
    return true;
  }

  bool ParseOr(Node& out, int depth) {
    if (!ParseAnd(out, depth)) return false;
    if (Peek().kind != Tok::kOr) return true;
    Node group;
    group.kind = Node::kOr;
    group.column = out.column;
    group.children.push_back(std::move(out));
    while (Peek().kind == Tok::kOr) {
      Token op = Next();
      if (!ExpectOperandAfter(op)) return false;
      Node child;
      if (!ParseAnd(child, depth)) return false;
      group.children.push_back(std::move(child));
    }
    out = std::move(group);
    return true;
  }

  bool ParseAnd(Node& out, int depth) {
    if (!ParseUnary(out, depth)) return false;
    Node group;
    while (true) {
      if (Peek().kind == Tok::kAnd) {
        Token op = Next();
        if (!ExpectOperandAfter(op)) return false;
      } else if (!StartsOperand(Peek().kind)) {
        break;
      }
      if (group.children.empty()) {
        group.kind = Node::kAnd;
        group.column = out.column;
        group.children.push_back(std::move(out));
      }
      Node child;
      if (!ParseUnary(child, depth)) return false;
      group.children.push_back(std::move(child));
    }
    if (!group.children.empty()) out = std::move(group);
    return true;
  }

  bool Deeper(int depth, int column) {
    if (depth < opts_.max_depth) return true;
    return Fail(column, "nesting deeper than " + std::to_string(opts_.max_depth) + " levels",
                "嵌套超过 " + std::to_string(opts_.max_depth) + " 层");
  }

  bool ParseUnary(Node& out, int depth) {
    if (Peek().kind == Tok::kNot || Peek().kind == Tok::kMinus) {
      Token op = Next();
      if (!Deeper(depth + 1, op.column)) return false;
      if (!ExpectOperandAfter(op)) return false;
      out.kind = Node::kNot;
      out.column = op.column;
      out.children.resize(1);
      return ParseUnary(out.children[0], depth + 1);
    }
    return ParseNear(out, depth);
  }

  bool ParseNear(Node& out, int depth) {
    if (!ParsePrimary(out, depth)) return false;
    if (Peek().kind != Tok::kNear) return true;
    Token op = Next();
    if (out.kind != Node::kTerm)
      return Fail(op.column, "NEAR joins two terms; the left side is not a single word or phrase",
                  "NEAR 只能连接两个词；左边不是单个词或短语");
    const Token& t = Peek();
    bool ok = t.kind == Tok::kWord || t.kind == Tok::kPhrase ||
              (t.kind == Tok::kField && tokens_[pos_ + 1].kind != Tok::kLParen);
    if (!ok)
      return Fail(t.column,
                  "expected a word or phrase after " + TokName(op) + " at column " + std::to_string(op.column) +
                      ", found " + FoundEn(t),
                  "第 " + std::to_string(op.column) + " 列的 " + TokName(op) + " 后面应为词或短语，却是 " +
                      FoundZh(t));
    Node right;
    if (!ParsePrimary(right, depth)) return false;
    if (right.kind != Node::kTerm)
      return Fail(t.column, "NEAR joins two terms; the right side is not a single word or phrase",
                  "NEAR 只能连接两个词；右边不是单个词或短语");
    if (right.fields != out.fields)
      return Fail(t.column, "both sides of NEAR must search the same fields", "NEAR 两边必须检索相同的字段");
    if (Peek().kind == Tok::kNear)
      return Fail(Peek().column, "NEAR cannot be chained; write (a NEAR/n b) AND (b NEAR/n c)",
                  "NEAR 不能连用；请写成 (a NEAR/n b) AND (b NEAR/n c)");
    Node near;
    near.kind = Node::kNear;
    near.column = out.column;
    near.distance = op.number;
    near.fields = out.fields;
    near.children.push_back(std::move(out));
    near.children.push_back(std::move(right));
    out = std::move(near);
    return true;
  }

  bool MakeTerm(const Token& t, Node& out) {
    if (++terms_ > opts_.max_terms)
      return Fail(t.column, "more than " + std::to_string(opts_.max_terms) + " terms",
                  "检索词超过 " + std::to_string(opts_.max_terms) + " 个");
    if (t.chars > opts_.max_term_chars)
      return Fail(t.column, "term longer than " + std::to_string(opts_.max_term_chars) + " characters",
                  "检索词超过 " + std::to_string(opts_.max_term_chars) + " 个字符");
    out.kind = Node::kTerm;
    out.term = t.text;
    out.phrase = t.kind == Tok::kPhrase;
    out.fields = scope_;
    out.column = t.column;
    return true;
  }

  bool ParsePrimary(Node& out, int depth) {
    Token t = Next();
    switch (t.kind) {
      case Tok::kWord:
      case Tok::kPhrase:
        return MakeTerm(t, out);
      case Tok::kLParen: {
        if (!Deeper(depth + 1, t.column)) return false;
        if (Peek().kind == Tok::kRParen) return Fail(t.column, "empty group ()", "空括号 ()");
        if (!ParseOr(out, depth + 1)) return false;
        if (Peek().kind != Tok::kRParen)
          return Fail(Peek().column,
                      "expected ')' to close '(' at column " + std::to_string(t.column) + ", found " +
                          FoundEn(Peek()),
                      "缺少 ')'，无法闭合第 " + std::to_string(t.column) + " 列的 '('（此处是 " +
                          FoundZh(Peek()) + "）");
        Next();
        return true;
      }
      case Tok::kField:
        return ParseField(t, out, depth);
      case Tok::kRParen:
        return Fail(t.column, "unexpected ')' without a matching '('", "多余的 ')'，前面没有对应的 '('");
      default:
        return Fail(t.column, "expected a term, found " + FoundEn(t), "此处应为检索词，却是 " + FoundZh(t));
    }
  }

  bool ParseField(const Token& f, Node& out, int depth) {
    const Token& v = Peek();
    if (f.text == "author.verified") {
      if (v.kind != Tok::kWord || (v.text != "true" && v.text != "false"))
        return Fail(v.column, "author.verified: expects true or false, found " + FoundEn(v),
                    "author.verified: 后应为 true 或 false，却是 " + FoundZh(v));
      out.kind = Node::kVerified;
      out.bool_value = v.text == "true";
      out.column = f.column;
      Next();
      return true;
    }
    if (f.text == "author.followers") {
      std::string s = v.kind == Tok::kWord ? v.text : "";
      int vcol = v.column;
      if (v.kind == Tok::kWord && (s == ">" || s == ">=" || s == "<" || s == "<=" || s == "=")) {
        Next();
        if (Peek().kind == Tok::kWord) s += Peek().text;
      }
      CmpOp op = CmpOp::kEq;
      size_t k = 0;
      if (s.rfind(">=", 0) == 0) op = CmpOp::kGe, k = 2;
      else if (s.rfind("<=", 0) == 0) op = CmpOp::kLe, k = 2;
      else if (s.rfind(">", 0) == 0) op = CmpOp::kGt, k = 1;
      else if (s.rfind("<", 0) == 0) op = CmpOp::kLt, k = 1;
      else if (s.rfind("=", 0) == 0) op = CmpOp::kEq, k = 1;
      int64_t n = 0;
      auto r = std::from_chars(s.data() + k, s.data() + s.size(), n);
      if (s.size() == k || r.ec != std::errc() || r.ptr != s.data() + s.size() || n < 0)
        return Fail(vcol, "author.followers: expects a number with an optional >, >=, <, <= or =, e.g. >10000",
                    "author.followers: 后应为数字，可带 >、>=、<、<= 或 =，例如 >10000");
      Next();
      out.kind = Node::kFollowers;
      out.op = op;
      out.number = n;
      out.column = f.column;
      return true;
    }
    FieldMask mask = 0;
    for (const FieldSpec& s : kFieldSpecs)
      if (f.text == s.name) mask = s.mask;
    if (v.kind != Tok::kWord && v.kind != Tok::kPhrase && v.kind != Tok::kLParen)
      return Fail(v.column, "expected a term or '(' after '" + f.text + ":', found " + FoundEn(v),
                  "'" + f.text + ":' 后面应为检索词或 '('，却是 " + FoundZh(v));
    FieldMask saved = scope_;
    scope_ = mask;
    bool ok = ParsePrimary(out, depth);
    scope_ = saved;
    return ok;
  }

  const text::Normalizer& norm_;
  const ParseOptions& opts_;
  std::vector<Char> chars_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int end_column_ = 1;
  int terms_ = 0;
  FieldMask scope_ = kDefaultFields;
  bool failed_ = false;
};

bool Negative(const Node& n);

// Positive(n): whenever n is true, some positive-polarity term of n occurs.
bool Positive(const Node& n) {
  switch (n.kind) {
    case Node::kTerm:
    case Node::kNear: return true;
    case Node::kAnd:
      for (const Node& c : n.children)
        if (Positive(c)) return true;
      return false;
    case Node::kOr:
      for (const Node& c : n.children)
        if (!Positive(c)) return false;
      return !n.children.empty();
    case Node::kNot: return Negative(n.children[0]);
    default: return false;
  }
}

// Negative(n): whenever n is false, some term of n occurs whose polarity is positive relative
// to NOT n.
bool Negative(const Node& n) {
  switch (n.kind) {
    case Node::kAnd:
      for (const Node& c : n.children)
        if (!Negative(c)) return false;
      return !n.children.empty();
    case Node::kOr:
      for (const Node& c : n.children)
        if (Negative(c)) return true;
      return false;
    case Node::kNot: return Positive(n.children[0]);
    default: return false;
  }
}

}  // namespace

std::string ParseError::Message(bool zh_lang) const {
  if (zh_lang) return column > 0 ? "第 " + std::to_string(column) + " 列：" + zh : zh;
  return column > 0 ? "column " + std::to_string(column) + ": " + en : en;
}

Result<Query> ParseQuery(std::string_view query, const text::Normalizer& norm, const ParseOptions& opts,
                         ParseError* error) {
  Parser p(norm, opts);
  Query q;
  if (!p.Run(query, q)) {
    if (error) *error = p.error;
    return Status::Invalid(p.error.Message(false));
  }
  return q;
}

bool RequiresPositiveTerm(const Node& node) { return Positive(node); }

}  // namespace yuqing::rules
