// The segmenter a running process uses now, replaceable while other threads segment: the user
// dictionary changes without a restart (yuqing dict, the 词典 page). Readers take a reference
// to the current segmenter and keep using it for as long as they hold it (a pipeline batch, one
// tokenizer call), so a swap never changes the segmentation under a piece of work.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "text/segmenter.h"

namespace yuqing::text {

class SegmenterSlot {
 public:
  // `version` names the user dictionary the segmenter was built with (store::DictVersion).
  SegmenterSlot(std::shared_ptr<const Segmenter> s, std::string version)
      : segmenter_(std::move(s)), version_(std::move(version)) {}

  std::shared_ptr<const Segmenter> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return segmenter_;
  }
  std::string version() const {
    std::lock_guard<std::mutex> lock(mu_);
    return version_;
  }
  // Every later Get() returns `s`; holders of the previous one keep it alive until they drop it.
  void Set(std::shared_ptr<const Segmenter> s, std::string version) {
    std::lock_guard<std::mutex> lock(mu_);
    segmenter_ = std::move(s);
    version_ = std::move(version);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Segmenter> segmenter_;  // guarded by mu_
  std::string version_;                         // guarded by mu_
};

}  // namespace yuqing::text
