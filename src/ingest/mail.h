// E-mail messages (hotline and complaint mailboxes) as records for PostFromJson, decoded with
// GMime (Debian libgmime-3.0-dev): RFC 2047 subjects and names, transfer encodings, charsets
// (GBK/GB18030 mail included), multipart bodies, attachment names.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace yuqing::ingest {

// {id: "mail-" + Message-ID (else `fallback_id`), title: subject, text: the text/plain body (else
// the text/html body as text; else the subject), author: {name, id: address}, published_at:
// Date, source: "email", channel: `mailbox`, extra: {attachments: [file names], to}}.
// Invalid when `raw` is not a message at all.
Result<nlohmann::json> MailToRecord(std::string_view raw, const std::string& fallback_id, const std::string& mailbox);

}  // namespace yuqing::ingest
