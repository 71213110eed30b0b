// The audit log from the shell (user_commands.cc): the actor is "cli:$USER", as the server's
// entries name the logged-in user; a failed write is reported, not fatal.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli/context.h"
#include "store/user_store.h"

namespace yuqing::cli {

std::string Actor();
void AuditCli(store::UserStore& users, Context& ctx, const std::string& action, const std::string& target,
              nlohmann::json detail);

}  // namespace yuqing::cli
