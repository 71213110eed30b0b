#include "server/context.h"

#include <spdlog/spdlog.h>

#include "core/json_guard.h"
#include "core/user.h"

namespace yuqing::server {

Result<Conn*> Ctx::conn() {
  if (!lease_) {
    YQ_ASSIGN_OR_RETURN(lease_, state.pool.Acquire());
  }
  return &*lease_;
}

std::string Ctx::Param(const char* name) const {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

std::string Ctx::PathParam(size_t i) const {
  return i + 1 < req.matches.size() ? std::string(req.matches[i + 1]) : std::string();
}

Result<nlohmann::json> Ctx::JsonBody() const {
  if (body_) return *body_;
  if (req.body.empty()) return Status::Invalid("the request needs a JSON body");
  auto j = ParseJson(req.body);
  if (!j.ok()) return Status::Invalid("the request body is not usable JSON: " + j.status().message());
  body_ = std::move(*j);
  return *body_;
}

void Ctx::Audit(const std::string& action, const std::string& target, nlohmann::json detail) {
  auto c = conn();
  if (!c.ok()) {
    spdlog::error("audit {} {}: {}", action, target, c.status().ToString());
    return;
  }
  AuditEntry e;
  e.at = now();
  e.actor = who.authenticated() ? who.name : "anonymous";
  e.action = action;
  e.target = target;
  e.ip = ip;
  e.detail = std::move(detail);
  auto r = (*c)->users->Audit(e);
  if (!r.ok()) spdlog::error("audit {} {}: {}", action, target, r.status().ToString());
}

}  // namespace yuqing::server
