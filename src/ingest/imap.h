// A mailbox over IMAP (TLS: imaps://, or imap:// upgraded with STARTTLS, which is required) through
// libcurl: the mailbox's UIDVALIDITY, the UIDs above a cursor, and one message's raw bytes.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace yuqing::ingest {

struct ImapOptions {
  std::string url;       // imaps://host[:port]/MAILBOX
  std::string user, password;
  std::string ca_file;   // trust this CA (a self-signed server); "" : the system's
  long timeout_ms = 30000;
  size_t max_message_bytes = 25u << 20;  // larger messages are refused
};

// The mailbox's UIDVALIDITY (EXAMINE, read-only). Unavailable on a connection, TLS or login
// failure, with curl's reason.
Result<int64_t> ImapUidValidity(const ImapOptions& o);
// UIDs greater than `after`, ascending (UID SEARCH).
Result<std::vector<int64_t>> ImapUidsAfter(const ImapOptions& o, int64_t after);
// The raw message (RFC 5322) with this UID.
Result<std::string> ImapFetch(const ImapOptions& o, int64_t uid);

// "imaps://host:993/INBOX" → "INBOX" ("INBOX" when the URL names none).
std::string ImapMailbox(const std::string& url);

}  // namespace yuqing::ingest
