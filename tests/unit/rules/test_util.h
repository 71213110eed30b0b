// Shared fixtures for the rules tests: one Normalizer per test binary.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "text/normalizer.h"

namespace yuqing::rules::testing {

inline std::shared_ptr<const text::Normalizer> Norm() {
  static std::shared_ptr<const text::Normalizer> norm = [] {
    auto n = text::Normalizer::Create();
    if (!n.ok()) {
      ADD_FAILURE() << n.status().ToString();
      return std::shared_ptr<const text::Normalizer>();
    }
    return *n;
  }();
  return norm;
}

}  // namespace yuqing::rules::testing
