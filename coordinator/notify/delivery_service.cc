#include "coordinator/notify/delivery_service.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/zmq_frames.h"

namespace dsr::notify {

DeliveryService::DeliveryService(zmq::context_t& context, std::string report_endpoint,
                                 std::map<std::string, std::unique_ptr<Channel>> channels)
    : context_(context),
      report_endpoint_(std::move(report_endpoint)),
      channels_(std::move(channels)) {}

DeliveryService::~DeliveryService() {
  Stop();
}

void DeliveryService::Start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void DeliveryService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryService::Enqueue(store::NotificationRecord notification) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(notification));
  }
  wake_.notify_one();
}

void DeliveryService::Run() {
  zmq::socket_t report(context_, zmq::socket_type::push);
  ApplyCommonOptions(report);
  report.connect(report_endpoint_);
  while (true) {
    store::NotificationRecord notification;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      notification = std::move(queue_.front());
      queue_.pop_front();
    }
    const auto channel = channels_.find(notification.channel);
    const Status delivered = channel == channels_.end()
                                 ? Internal("no channel " + notification.channel + " is configured")
                                 : channel->second->Deliver(notification);
    nlohmann::json outcome = {{"id", notification.id}, {"ok", delivered.ok()}};
    if (!delivered.ok()) outcome["error"] = delivered.message();
    // Blocking send on inproc: the engine always drains this socket.
    report.send(zmq::buffer(outcome.dump()), zmq::send_flags::none);
  }
  report.close();
}

std::map<std::string, std::unique_ptr<Channel>> ChannelsFor(const NotificationSettings& settings) {
  std::map<std::string, std::unique_ptr<Channel>> channels;
  if (settings.email) {
    channels["email"] = NewEmailChannel(*settings.email, settings.language, settings.public_url);
  }
  if (settings.webhook) {
    channels["webhook"] = NewWebhookChannel(*settings.webhook, settings.public_url);
  }
  return channels;
}

}  // namespace dsr::notify
