// The routing directory's rules, shared by the CLI (`yuqing departments|contacts|notify smtp`)
// and the API (/api/v1/departments, /api/v1/contacts, /api/v1/settings/smtp): what a valid
// contact and SMTP server look like, where the SMTP settings are kept, and how secrets are shown
// (never in full).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/outbox.h"
#include "core/status.h"
#include "notify/channels.h"
#include "store/outbox_store.h"

namespace yuqing::notify {

// Bounds on directory text.
inline constexpr size_t kMaxDepartmentNameBytes = 200;
inline constexpr size_t kMaxDescriptionBytes = 2000;
inline constexpr size_t kMaxRegions = 100;
inline constexpr size_t kMaxSecretBytes = 512;
inline constexpr int kMaxEscalationOrder = 20;

// Checks a department before it is stored. Invalid with "field: reason" (name, description, regions).
Status ValidateDepartment(const Department& d);
// Checks a contact before it is stored: channel, target for the channel, secret size,
// escalation_order 0..20, min_severity 1..4, name size. Invalid with "field: reason". The
// department's existence is the store's to check.
Status ValidateContact(const Contact& c);

// The SMTP server for e-mail contacts (settings smtp_url, smtp_from, smtp_user, smtp_password).
// from defaults to "yuqing@localhost" when unset.
Result<SmtpSettings> LoadSmtp(store::OutboxStore& outbox);
// Invalid ("url: ...", "from: ...") unless url is smtp:// or smtps:// and from is an address.
Status ValidateSmtp(const SmtpSettings& s);
Status SaveSmtp(store::OutboxStore& outbox, const SmtpSettings& s);

// "••••abcd": the last 4 characters of a secret of 12 bytes or more, "••••" for a shorter one,
// "" for none.
std::string MaskSecret(const std::string& secret);
// A target as shown to people: e-mail addresses in full; URLs (robot keys live in their path or
// query) as scheme://host[:port]/ followed by the masked rest.
std::string MaskTarget(const std::string& channel, const std::string& target);

// A contact for the API and `contacts list --json`, target and secret masked.
nlohmann::json ContactToJson(const Contact& c);
nlohmann::json DepartmentToJson(const Department& d, int contacts);

}  // namespace yuqing::notify
