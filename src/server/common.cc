// Helpers the handlers share: escaping, parameters, department scope.
#include <algorithm>
#include <charconv>

#include "server/handlers.h"

namespace yuqing::server {

std::string HtmlEscape(const std::string& in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (char ch : in) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(ch);
    }
  }
  return out;
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

Result<int64_t> IntParam(const Ctx& c, const char* name, int64_t def, int64_t max) {
  std::string v = c.Param(name);
  if (v.empty()) return def;
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < 1 || out > max)
    return Status::Invalid(std::string(name) + " must be an integer from 1 to " + std::to_string(max));
  return out;
}

Result<int64_t> IdFrom(const std::string& s, const char* what) {
  int64_t out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || p != s.data() + s.size() || out <= 0) return Status::NotFound(std::string("no ") + what + " " + s.substr(0, 64));
  return out;
}

std::string Scope::Key() const {
  if (all) return "all";
  std::string k = "s";
  for (int64_t id : scheme_ids) k += ":" + std::to_string(id);
  return k;
}

Result<Scope> VisibleScope(Ctx& c) {
  Scope s;
  if (c.who.admin()) {
    s.all = true;
    return s;
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto schemes, conn->schemes->List(true));
  for (const auto& sc : schemes) {
    if (c.who.InAnyDepartment(sc.departments)) s.scheme_ids.push_back(sc.id);
  }
  std::sort(s.scheme_ids.begin(), s.scheme_ids.end());
  return s;
}

}  // namespace yuqing::server
