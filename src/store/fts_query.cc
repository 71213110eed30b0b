#include "store/fts_query.h"

#include <vector>

namespace yuqing::store {

Result<std::string> ToFtsQuery(const std::string& q) {
  std::vector<std::string> parts;
  bool any_positive = false;
  size_t i = 0, n = q.size();
  auto quote = [](const std::string& term) {
    std::string out = "\"";
    for (char c : term) {
      if (c == '"') out += "\"\"";
      else out.push_back(c);
    }
    return out + "\"";
  };
  while (i < n) {
    while (i < n && (q[i] == ' ' || q[i] == '\t')) ++i;
    if (i >= n) break;
    size_t col = i + 1;
    bool negate = false;
    if (q[i] == '-' && i + 1 < n && q[i + 1] != ' ') {
      negate = true;
      ++i;
    }
    std::string term;
    if (q[i] == '"') {
      size_t close = q.find('"', i + 1);
      if (close == std::string::npos)
        return Status::Invalid("column " + std::to_string(col) + ": unclosed quote (expected '\"')");
      term = q.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      size_t end = q.find_first_of(" \t", i);
      if (end == std::string::npos) end = n;
      term = q.substr(i, end - i);
      i = end;
    }
    if (term.empty()) continue;
    if (!negate && (term == "OR" || term == "or" || term == "|")) {
      if (parts.empty() || parts.back() == "OR")
        return Status::Invalid("column " + std::to_string(col) + ": OR needs a word on each side");
      parts.push_back("OR");
      continue;
    }
    if (negate) {
      parts.push_back("NOT " + quote(term));
    } else {
      any_positive = true;
      parts.push_back(quote(term));
    }
  }
  if (!parts.empty() && parts.back() == "OR") return Status::Invalid("column " + std::to_string(n) + ": OR needs a word after it");
  if (!any_positive) return Status::Invalid("the query needs at least one word that is not excluded");
  // FTS5's NOT is binary: "a NOT b". Join positives with AND (implicit) and move exclusions last.
  std::string pos, neg;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (parts[k].rfind("NOT ", 0) == 0) {
      neg += " " + parts[k];
    } else {
      if (!pos.empty()) pos += " ";
      pos += parts[k];
    }
  }
  return neg.empty() ? pos : "(" + pos + ")" + neg;
}

}  // namespace yuqing::store
