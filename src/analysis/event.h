// The event record is core/event.h's; these names stay in analysis/ for its callers.
#pragma once

#include "core/event.h"

namespace yuqing::analysis {

using Spreader = ::yuqing::Spreader;
using EventRecord = ::yuqing::EventRecord;

}  // namespace yuqing::analysis
