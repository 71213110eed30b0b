// Internal: what a handler gets (the request, who asks, a database lease) and what it returns.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "server/auth.h"
#include "server/state.h"

namespace yuqing::server {

struct Reply {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
  Reply() = default;
  Reply(nlohmann::json b) : body(std::move(b)) {}  // NOLINT: implicit for `return json`
};

class Ctx {
 public:
  Ctx(State& s, const httplib::Request& r, std::string ip) : state(s), req(r), ip(std::move(ip)) {}

  State& state;
  const httplib::Request& req;
  std::string ip;
  Principal who;

  // The handler's connection, acquired on first use and held until the request ends.
  Result<Conn*> conn();
  // Query parameter ("" when absent).
  std::string Param(const char* name) const;
  // Path parameter i (0-based, in template order).
  std::string PathParam(size_t i) const;
  // The body as JSON (parsed once per request); Invalid when it is not JSON or nested too deep.
  Result<nlohmann::json> JsonBody() const;
  // Appends to the audit log as the current principal; failures are logged, not returned.
  void Audit(const std::string& action, const std::string& target, nlohmann::json detail = nlohmann::json::object());
  TimeMs now() const { return state.services.clock().Now(); }

 private:
  ConnectionPool::Lease lease_;
  mutable std::optional<nlohmann::json> body_;  // JsonBody's parse, kept for the handler
};

using Handler = Result<Reply> (*)(Ctx&);
// For responses that are not one JSON document (the live stream, files, metrics).
using RawHandler = Status (*)(Ctx&, httplib::Response&);

}  // namespace yuqing::server
