// DeliveryService: sends notifications on a thread of its own, so that a slow
// or unreachable mail server never stalls the engine's socket loop.
//
// Enqueue() is thread-safe. Each attempt is reported to the engine as one JSON
// message on the inproc PUSH endpoint given at construction:
//   {"id": "<notification id>", "ok": true}
//   {"id": "<notification id>", "ok": false, "error": "..."}
// Stop() finishes the delivery in hand and drops the rest: the store still
// has them pending, and the engine hands them out again after the next start.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "coordinator/notify/channels.h"
#include "coordinator/store/model.h"

namespace dsr::notify {

class DeliveryService {
 public:
  // `channels` by name ("email", "webhook"); a notification for a channel not
  // in the map is reported as failed.
  DeliveryService(zmq::context_t& context, std::string report_endpoint,
                  std::map<std::string, std::unique_ptr<Channel>> channels);
  ~DeliveryService();
  DeliveryService(const DeliveryService&) = delete;
  DeliveryService& operator=(const DeliveryService&) = delete;

  void Start();
  void Stop();
  void Enqueue(store::NotificationRecord notification);

 private:
  void Run();

  zmq::context_t& context_;
  std::string report_endpoint_;
  std::map<std::string, std::unique_ptr<Channel>> channels_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<store::NotificationRecord> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// The channels `settings` configure, ready for a DeliveryService.
std::map<std::string, std::unique_ptr<Channel>> ChannelsFor(const NotificationSettings& settings);

}  // namespace dsr::notify
