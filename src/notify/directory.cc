#include "notify/directory.h"

#include "core/alert.h"
#include "core/outbox.h"
#include "store/alert_store.h"

namespace yuqing::notify {
namespace {

bool HasControl(const std::string& s) {
  for (unsigned char ch : s)
    if (ch < 0x20 || ch == 0x7f) return true;
  return false;
}

}  // namespace

Status ValidateDepartment(const Department& d) {
  if (d.name.empty()) return Status::Invalid("name: a department needs a name");
  if (d.name.size() > kMaxDepartmentNameBytes) return Status::Invalid("name: longer than 200 bytes");
  if (HasControl(d.name) || d.name.find('/') != std::string::npos)
    return Status::Invalid("name: no control characters or '/'");
  if (d.description.size() > kMaxDescriptionBytes) return Status::Invalid("description: longer than 2000 bytes");
  if (d.regions.size() > kMaxRegions) return Status::Invalid("regions: more than 100");
  for (const auto& r : d.regions)
    if (r.empty() || r.size() > 200 || HasControl(r)) return Status::Invalid("regions: each a region name of 1-200 bytes");
  return Status::Ok();
}

Status ValidateContact(const Contact& c) {
  if (!IsChannel(c.channel)) return Status::Invalid("channel: must be " + ChannelNames());
  if (c.target.empty()) return Status::Invalid("target: required (a robot/webhook URL or an e-mail address)");
  if (Status st = ValidateTarget(c.channel, c.target); !st.ok()) return Status::Invalid("target: " + st.message());
  if (c.secret.size() > kMaxSecretBytes) return Status::Invalid("secret: longer than 512 bytes");
  if (HasControl(c.secret)) return Status::Invalid("secret: contains control characters");
  if (c.escalation_order < 0 || c.escalation_order > kMaxEscalationOrder)
    return Status::Invalid("escalation_order: must be 0-20");
  if (c.min_severity < 1 || c.min_severity > 4) return Status::Invalid("min_level: must be IV, III, II or I");
  if (c.name.size() > 200 || HasControl(c.name)) return Status::Invalid("name: at most 200 bytes, no control characters");
  if (c.department.empty()) return Status::Invalid("department: required");
  return Status::Ok();
}

Result<SmtpSettings> LoadSmtp(store::OutboxStore& outbox) {
  SmtpSettings s;
  YQ_ASSIGN_OR_RETURN(s.url, outbox.GetSetting("smtp_url"));
  YQ_ASSIGN_OR_RETURN(s.from, outbox.GetSetting("smtp_from"));
  YQ_ASSIGN_OR_RETURN(s.user, outbox.GetSetting("smtp_user"));
  YQ_ASSIGN_OR_RETURN(s.password, outbox.GetSetting("smtp_password"));
  if (s.from.empty()) s.from = "yuqing@localhost";
  return s;
}

Status ValidateSmtp(const SmtpSettings& s) {
  if (s.url.rfind("smtp://", 0) != 0 && s.url.rfind("smtps://", 0) != 0)
    return Status::Invalid("url: must start with smtp:// or smtps://");
  if (s.url.size() > 2000 || HasControl(s.url) || s.url.find(' ') != std::string::npos)
    return Status::Invalid("url: no spaces or control characters, at most 2000 bytes");
  if (Status st = ValidateTarget("email", s.from); !st.ok()) return Status::Invalid("from: not an e-mail address");
  if (s.user.size() > 500 || HasControl(s.user)) return Status::Invalid("user: at most 500 bytes");
  if (s.password.size() > kMaxSecretBytes || HasControl(s.password)) return Status::Invalid("password: at most 512 bytes");
  return Status::Ok();
}

Status SaveSmtp(store::OutboxStore& outbox, const SmtpSettings& s) {
  YQ_RETURN_IF_ERROR(ValidateSmtp(s));
  YQ_RETURN_IF_ERROR(outbox.SetSetting("smtp_url", s.url));
  YQ_RETURN_IF_ERROR(outbox.SetSetting("smtp_from", s.from));
  YQ_RETURN_IF_ERROR(outbox.SetSetting("smtp_user", s.user));
  return outbox.SetSetting("smtp_password", s.password);
}

std::string MaskSecret(const std::string& secret) {
  if (secret.empty()) return "";
  if (secret.size() < 12) return "••••";
  // The last 4 characters, not bytes (a secret may hold UTF-8).
  size_t start = secret.size();
  for (int n = 0; n < 4 && start > 0;) {
    --start;
    if ((static_cast<unsigned char>(secret[start]) & 0xC0) != 0x80) ++n;
  }
  return "••••" + secret.substr(start);
}

std::string MaskTarget(const std::string& channel, const std::string& target) {
  if (channel == "email") return target;
  size_t scheme = target.find("://");
  if (scheme == std::string::npos) return MaskSecret(target);
  size_t path = target.find_first_of("/?#", scheme + 3);
  if (path == std::string::npos) return target;  // an origin alone holds no key
  std::string rest = target.substr(path + 1);
  return target.substr(0, path + 1) + MaskSecret(rest);
}

nlohmann::json ContactToJson(const Contact& c) {
  return {{"id", c.id},
          {"department", c.department},
          {"name", c.name},
          {"channel", c.channel},
          {"target", MaskTarget(c.channel, c.target)},
          {"has_secret", !c.secret.empty()},
          {"secret", MaskSecret(c.secret)},
          {"escalation_order", c.escalation_order},
          {"min_level", LevelName(c.min_severity)},
          {"enabled", c.enabled},
          {"created_at", FormatTime(c.created_at)}};
}

nlohmann::json DepartmentToJson(const Department& d, int contacts) {
  return {{"id", d.id},
          {"name", d.name},
          {"description", d.description},
          {"regions", d.regions},
          {"contacts", contacts},
          {"created_at", FormatTime(d.created_at)}};
}

}  // namespace yuqing::notify
