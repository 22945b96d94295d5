#include "dataplane/stages/port_security_stage.h"

namespace overcast::dataplane {

using port_security::SpoofVerdict;

void PortSecurityStage::process(StageContext& ctx, Batch& in, BatchQueue& passed) {
  uint64_t n_passed = 0, n_unfiltered = 0;
  for (Packet* p : in) {
    const PortEntry* port = ctx.table->find_port(p->meta.in_port);
    if (!port || !port->spoof_filter) {
      passed.push(p);
      ++n_unfiltered;
      continue;
    }
    const SpoofVerdict verdict = port->spoof_filter->check(p->data(), p->length());
    if (verdict == SpoofVerdict::kPass) {
      passed.push(p);
      ++n_passed;
      continue;
    }
    counters_.add(kVerdictBase + static_cast<size_t>(verdict) - 1, 1);
    ctx.drop(p, verdict == SpoofVerdict::kMalformed ? DropReason::kRunt : DropReason::kSpoofed);
  }
  counters_.add(kIn, in.size());
  counters_.add(kPassed, n_passed);
  counters_.add(kUnfiltered, n_unfiltered);
  in.clear();
}

}  // namespace overcast::dataplane
