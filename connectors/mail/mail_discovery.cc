#include "connectors/mail/mail_discovery.h"

#include "connectors/discovery.h"
#include "connectors/mail/message_header.h"
#include "connectors/mail/mime_reader.h"

namespace dsr::connectors::mail {
namespace {

// Fields that hold people's addresses and names, what they wrote about, and
// the addresses of the machines they wrote from. Message-ID and References
// look like addresses but name messages, so they are left out.
constexpr const char* kPersonalFields[] = {"From",         "To",         "Cc",
                                           "Bcc",          "Reply-To",   "Sender",
                                           "Subject",      "Received",   "X-Originating-IP",
                                           "Delivered-To", "Return-Path"};

void Add(const Detection& detection, PersonalDataPlace* place) {
  place->kinds.insert(detection.kinds.begin(), detection.kinds.end());
  place->occurrences += detection.occurrences;
}

}  // namespace

Result<std::vector<PersonalDataPlace>> DiscoverMail(MailStore& store, const MailConfig& config,
                                                    const std::vector<FolderName>& folders) {
  std::vector<PersonalDataPlace> places;
  for (const auto& folder : folders) {
    auto sample = store.Sample(folder.folder, config.discover_sample, config.match_body);
    if (!sample.ok()) return sample.status();
    PersonalDataPlace headers{folder.collection, {}, 0};
    PersonalDataPlace bodies{folder.collection + ":body", {}, 0};
    for (const auto& message : *sample) {
      for (const auto& field : ParseHeaderFields(message.header)) {
        for (const char* name : kPersonalFields) {
          if (EqualsIgnoreCase(field.name, name))
            Add(DetectPersonalData(DecodeWords(field.value)), &headers);
        }
      }
      if (!message.message.empty()) Add(DetectPersonalData(BodyText(message.message)), &bodies);
    }
    for (auto* place : {&headers, &bodies}) {
      if (!place->kinds.empty()) places.push_back(std::move(*place));
    }
  }
  return places;
}

}  // namespace dsr::connectors::mail
