#include "connectors/http/zendesk_fields.h"

namespace dsr::connectors::http {

const std::set<std::string>& ZendeskUserFields() {
  static const std::set<std::string> fields = {"active",
                                               "alias",
                                               "chat_only",
                                               "created_at",
                                               "custom_role_id",
                                               "default_group_id",
                                               "details",
                                               "email",
                                               "external_id",
                                               "iana_time_zone",
                                               "id",
                                               "last_login_at",
                                               "locale",
                                               "locale_id",
                                               "moderator",
                                               "name",
                                               "notes",
                                               "only_private_comments",
                                               "organization_id",
                                               "phone",
                                               "photo",
                                               "remote_photo_url",
                                               "report_csv",
                                               "restricted_agent",
                                               "role",
                                               "role_type",
                                               "shared",
                                               "shared_agent",
                                               "shared_phone_number",
                                               "signature",
                                               "suspended",
                                               "tags",
                                               "ticket_restriction",
                                               "time_zone",
                                               "two_factor_auth_enabled",
                                               "updated_at",
                                               "url",
                                               "user_fields",
                                               "verified"};
  return fields;
}

const std::set<std::string>& ZendeskTicketFields() {
  static const std::set<std::string> fields = {"allow_attachments",
                                               "allow_channelback",
                                               "assignee_id",
                                               "brand_id",
                                               "collaborator_ids",
                                               "created_at",
                                               "custom_fields",
                                               "custom_status_id",
                                               "description",
                                               "due_at",
                                               "email_cc_ids",
                                               "external_id",
                                               "follower_ids",
                                               "followup_ids",
                                               "forum_topic_id",
                                               "from_messaging_channel",
                                               "generated_timestamp",
                                               "group_id",
                                               "has_incidents",
                                               "id",
                                               "is_public",
                                               "organization_id",
                                               "priority",
                                               "problem_id",
                                               "raw_subject",
                                               "recipient",
                                               "requester_id",
                                               "satisfaction_rating",
                                               "sharing_agreement_ids",
                                               "status",
                                               "subject",
                                               "submitter_id",
                                               "tags",
                                               "ticket_form_id",
                                               "type",
                                               "updated_at",
                                               "url",
                                               "via"};
  return fields;
}

const std::set<std::string>& ZendeskCommentFields() {
  static const std::set<std::string> fields = {"attachments", "audit_id",  "author_id", "body",
                                               "created_at",  "html_body", "id",        "metadata",
                                               "plain_body",  "public",    "type",      "via"};
  return fields;
}

const std::set<std::string>& ZendeskIdentityFields() {
  static const std::set<std::string> fields = {"created_at", "deliverable_state",
                                               "id",         "primary",
                                               "type",       "undeliverable_count",
                                               "updated_at", "url",
                                               "user_id",    "value",
                                               "verified"};
  return fields;
}

nlohmann::json TrimToFields(const nlohmann::json& record, const std::set<std::string>& fields) {
  nlohmann::json trimmed = nlohmann::json::object();
  if (!record.is_object()) return trimmed;
  for (const auto& [field, value] : record.items()) {
    if (fields.count(field) != 0) trimmed[field] = value;
  }
  return trimmed;
}

}  // namespace dsr::connectors::http
