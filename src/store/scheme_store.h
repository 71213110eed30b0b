// Monitoring schemes (table `schemes`, component "schemes"), on either backend
// (store/sqlite/scheme_store.cc, store/postgres/scheme_store.cc). A SchemeStore borrows one
// session (one thread at a time). It stores what it is
// given: validating queries is the caller's job (rules::ParseScheme), so the store does not
// depend on the matcher. Every write bumps a generation number, which a running pipeline polls
// to know when to rebuild its matcher (rules::LiveMatcher::Update).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "rules/scheme.h"
#include "store/database.h"

namespace yuqing::store {

class SchemeStore {
 public:
  // Creates or migrates the tables.
  static Result<std::unique_ptr<SchemeStore>> Open(Database& db);
  virtual ~SchemeStore() = default;

  // Inserts a new scheme and returns its id (s.id is ignored unless > 0 and free). Ids are never
  // reused after a removal (posts keep the ids of the schemes they matched). Sets
  // created_at/updated_at to `now` when zero. Conflict when the name or id is taken.
  virtual Result<int64_t> Add(const rules::Scheme& s, TimeMs now) = 0;
  // Replaces every field of scheme s.id (keeps created_at; updated_at = now).
  // NotFound when absent, Conflict when the new name belongs to another scheme.
  virtual Status Update(const rules::Scheme& s, TimeMs now) = 0;
  // NotFound when absent.
  virtual Status Remove(int64_t id) = 0;

  virtual Result<std::optional<rules::Scheme>> Get(int64_t id) = 0;
  virtual Result<std::optional<rules::Scheme>> GetByName(const std::string& name) = 0;
  // All schemes by id; disabled ones only when include_disabled.
  virtual Result<std::vector<rules::Scheme>> List(bool include_disabled = true) = 0;

  // Increases with every Add/Update/Remove (from any session on the same store).
  virtual Result<int64_t> Generation() = 0;
};

}  // namespace yuqing::store
