#include "controller/southbound/session_reactor.h"

#include <algorithm>

namespace overcast::controller {

namespace {

bool droppable(const sb::ControllerMessage& message) {
  return message.kind_case() == sb::ControllerMessage::kDelta ||
         message.kind_case() == sb::ControllerMessage::kHeartbeat;
}

}  // namespace

SessionReactor::SessionReactor(SessionEvents& events, SessionQueueLimits limits)
    : events_(events), limits_(limits), last_rx_(Clock::now().time_since_epoch().count()) {}

void SessionReactor::begin() { StartRead(&in_); }

SessionReactor::Push SessionReactor::push(const sb::ControllerMessage& message) {
  size_t bytes = message.ByteSizeLong();
  {
    std::lock_guard lock(mu_);
    if (close_requested_) return Push::kClosed;
    if (droppable(message) &&
        (queue_.size() >= limits_.max_messages || queued_bytes_ + bytes > limits_.max_bytes)) {
      queue_.erase(std::remove_if(queue_.begin(), queue_.end(), droppable), queue_.end());
      queued_bytes_ = 0;
      for (const auto& kept : queue_) queued_bytes_ += kept.ByteSizeLong();
      drain_owed_ = true;
      return Push::kOverflow;
    }
    queue_.push_back(message);
    queued_bytes_ += bytes;
    if (!next_write_locked()) return Push::kQueued;
  }
  StartWrite(&out_);
  return Push::kQueued;
}

void SessionReactor::drop_queued() {
  std::lock_guard lock(mu_);
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                              [](const sb::ControllerMessage& m) {
                                return m.kind_case() != sb::ControllerMessage::kWelcome;
                              }),
               queue_.end());
  queued_bytes_ = 0;
  for (const auto& kept : queue_) queued_bytes_ += kept.ByteSizeLong();
  drain_owed_ = false;
}

bool SessionReactor::next_write_locked() {
  if (writing_ || finished_ || queue_.empty()) return false;
  out_ = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= std::min(queued_bytes_, out_.ByteSizeLong());
  writing_ = true;
  return true;
}

void SessionReactor::close(const grpc::Status& status) {
  {
    std::lock_guard lock(mu_);
    if (close_requested_) return;
    close_requested_ = true;
    close_status_ = status;
    queue_.clear();
    queued_bytes_ = 0;
    if (writing_) return;  // OnWriteDone finishes
    finished_ = true;
  }
  Finish(status);
}

void SessionReactor::finish_now(const grpc::Status& status) { Finish(status); }

void SessionReactor::OnReadDone(bool ok) {
  if (!ok) {
    close(grpc::Status::OK);  // the agent closed its side or the stream broke
    return;
  }
  last_rx_.store(Clock::now().time_since_epoch().count());
  events_.on_read(in_.ByteSizeLong());
  {
    std::lock_guard lock(mu_);
    if (close_requested_) return;
  }
  if (!registered_) {
    if (in_.kind_case() != sb::AgentMessage::kRegister) {
      events_.on_protocol_error(*this);
      close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the first message must be Register"));
      return;
    }
    registered_ = true;
    grpc::Status status = events_.on_register(*this, in_.register_());
    if (!status.ok()) {
      close(status);
      return;
    }
  } else if (in_.kind_case() == sb::AgentMessage::kRegister) {
    events_.on_protocol_error(*this);
    close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Register sent twice on one stream"));
    return;
  } else {
    events_.on_agent_message(*this, in_);
  }
  StartRead(&in_);
}

void SessionReactor::OnWriteDone(bool ok) {
  if (ok) events_.on_write(out_, out_.ByteSizeLong());
  bool write_next = false;
  bool finish = false;
  bool drained = false;
  grpc::Status status;
  {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok && !close_requested_) {
      close_requested_ = true;
      close_status_ = grpc::Status(grpc::StatusCode::UNAVAILABLE, "write to agent failed");
    }
    if (close_requested_) {
      if (!finished_) {
        finished_ = true;
        finish = true;
        status = close_status_;
      }
    } else {
      write_next = next_write_locked();
      if (!write_next && drain_owed_) {
        drain_owed_ = false;
        drained = true;
      }
    }
  }
  if (finish) finish_now(status);
  if (write_next) StartWrite(&out_);
  if (drained) events_.on_drained(*this);
}

void SessionReactor::OnCancel() { close(grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled")); }

void SessionReactor::OnDone() {
  events_.on_done(*this);
  delete this;
}

}  // namespace overcast::controller
