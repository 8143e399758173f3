#include "tools/sample-crm/sample_mailbox.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "common/civil_date.h"
#include "tools/sample-crm/sample_random.h"

namespace dsr::sample_crm {
namespace {

namespace fs = std::filesystem;

constexpr char kSupport[] = "support@beispiel-shop.example";
constexpr char kSupportName[] = "Kundenservice Beispiel-Shop";
constexpr char kForm[] = "formular@beispiel-shop.example";
constexpr char kPartner[] = "nachforschung@paketdienst.example";
constexpr int64_t kFirstMailDay = 17897;  // 2019-01-01
constexpr int64_t kLastMailDay = 20269;   // 2025-06-30, the sample CRM's last day

const std::vector<std::pair<std::string, std::string>> kColleagues = {
    {"Petra Neumann", "p.neumann@beispiel-shop.example"},
    {"Kemal Aydın", "k.aydin@beispiel-shop.example"},
    {"Jana Hübner", "j.huebner@beispiel-shop.example"}};

// The smallest valid PNG (one pixel): a "photo of the damage".
const std::string kPng = std::string(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\r"
    "IDATx\x9c"
    "c\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xae"
    "B`\x82",
    67);

struct Attachment {
  std::string filename;
  std::string content_type;
  std::string bytes;
};

struct Mail {
  bool sent = false;    // the Sent folder; else INBOX
  bool unread = false;  // delivered to new/, not yet seen
  int64_t day = 0, seconds = 0;
  std::string from, to, cc, reply_to, subject, body;
  bool body_base64 = false;
  std::vector<Attachment> attachments;
};

bool IsAscii(const std::string& text) {
  for (const char c : text) {
    if ((c & 0x80) != 0) return false;
  }
  return true;
}

std::string Base64(const std::string& bytes, size_t line = 76) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    const size_t left = bytes.size() - i;
    if (left > 1) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (left > 2) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? kAlphabet[chunk & 63] : '=';
  }
  std::string wrapped;
  for (size_t i = 0; i < out.size(); i += line) wrapped += out.substr(i, line) + "\r\n";
  return wrapped;
}

std::string EncodedWord(const std::string& text) {
  if (IsAscii(text)) return text;
  std::string encoded = Base64(text, std::string::npos);
  encoded.resize(encoded.size() - 2);  // the line end
  return "=?UTF-8?B?" + encoded + "?=";
}

std::string Mailbox(const std::string& name, const std::string& email) {
  if (name.empty()) return email;
  if (!IsAscii(name)) return EncodedWord(name) + " <" + email + ">";
  const bool special = name.find_first_of(",.;:@()<>\"") != std::string::npos;
  return (special ? "\"" + name + "\"" : name) + " <" + email + ">";
}

std::string QuotedPrintable(const std::string& text) {
  std::string out;
  size_t column = 0;
  for (const char c : text) {
    if (c == '\n') {
      out += "\r\n";
      column = 0;
      continue;
    }
    char piece[4] = {c, 0, 0, 0};
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || c == '=') std::snprintf(piece, sizeof piece, "=%02X", byte);
    if (column + std::char_traits<char>::length(piece) > 75) {
      out += "=\r\n";
      column = 0;
    }
    out += piece;
    column += std::char_traits<char>::length(piece);
  }
  return out;
}

std::string Crlf(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

std::string DateHeader(int64_t day, int64_t seconds) {
  static const char* const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilDate date = CivilDate::FromDaysSinceEpoch(day);
  const bool summer = date.month() >= 4 && date.month() <= 10;  // close enough for a sample
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d %s",
                kDays[static_cast<int>(date.weekday())], date.day(), kMonths[date.month() - 1],
                date.year(), static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60),
                static_cast<int>(seconds % 60), summer ? "+0200" : "+0100");
  return text;
}

std::string TextPart(const Mail& mail) {
  if (IsAscii(mail.body)) {
    return "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
           Crlf(mail.body);
  }
  if (mail.body_base64) {
    return "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           Base64(mail.body);
  }
  return "Content-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
         QuotedPrintable(mail.body);
}

std::string Render(const Mail& mail, int serial) {
  const CivilDate date = CivilDate::FromDaysSinceEpoch(mail.day);
  std::string message = "Date: " + DateHeader(mail.day, mail.seconds) + "\r\nFrom: " + mail.from +
                        "\r\nTo: " + mail.to + "\r\n";
  if (!mail.cc.empty()) message += "Cc: " + mail.cc + "\r\n";
  if (!mail.reply_to.empty()) message += "Reply-To: " + mail.reply_to + "\r\n";
  char id[64];
  std::snprintf(id, sizeof id, "<%04d%02d%02d.%05d@beispiel-shop.example>", date.year(),
                date.month(), date.day(), serial);
  message += "Subject: " + EncodedWord(mail.subject) + "\r\nMessage-ID: " + id +
             "\r\nMIME-Version: 1.0\r\n";
  if (mail.attachments.empty()) return message + TextPart(mail);
  const std::string boundary = "=_sample_" + std::to_string(serial);
  message += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n" +
             "This is a multi-part message in MIME format.\r\n--" + boundary + "\r\n" +
             TextPart(mail);
  for (const auto& attachment : mail.attachments) {
    message += "\r\n--" + boundary + "\r\nContent-Type: " + attachment.content_type + "; name=\"" +
               attachment.filename +
               "\"\r\nContent-Transfer-Encoding: base64\r\n"
               "Content-Disposition: attachment; filename=\"" +
               attachment.filename + "\"\r\n\r\n" + Base64(attachment.bytes);
  }
  return message + "\r\n--" + boundary + "--\r\n";
}

// What the mails of one customer refer to.
struct Customer {
  const CustomerRow* row = nullptr;
  std::string name, order, invoice;
};

std::string Pdf(const std::string& title) {
  return "%PDF-1.4\n% Beispiel-Shop\n1 0 obj << /Title (" + title + ") >> endobj\ntrailer\n%%EOF\n";
}

class MailPlanner {
 public:
  explicit MailPlanner(uint64_t seed) : random_(seed ^ 0x6D61696C626F78ULL) {}

  Mail Dated(bool sent) {
    Mail mail;
    mail.sent = sent;
    mail.day = random_.Between(kFirstMailDay, kLastMailDay);
    mail.seconds = random_.Between(7 * 3600, 19 * 3600);
    return mail;
  }

  std::string Party(const Customer& c) const { return Mailbox(c.name, c.row->email); }
  std::string Colleague() {
    const auto& colleague = random_.Pick(kColleagues);
    return Mailbox(colleague.first, colleague.second);
  }

  // Several mails in both folders.
  void SampleCustomer(const Customer& c, size_t index, std::vector<Mail>* mails) {
    FromCustomer(c, index == 0, mails);
    ToCustomer(c, mails);
  }

  // INBOX: the customer's own mail, a contact form with them in Reply-To,
  // and a mail with a photo (the first sample's is still unread, in new/).
  void FromCustomer(const Customer& c, bool unread, std::vector<Mail>* mails) {
    Mail own = Dated(false);
    own.from = Party(c), own.to = Mailbox(kSupportName, kSupport);
    own.subject = "Frage zu meiner Bestellung " + c.order;
    own.body = "Guten Tag,\n\nich warte noch auf die Lieferung von " + c.order +
               ". Können Sie mir sagen, wann das Paket kommt?\n\nMit freundlichen Grüßen\n" +
               c.name + "\n";
    Mail form = Dated(false);
    form.from = Mailbox("Kontaktformular Beispiel-Shop", kForm), form.to = kSupport;
    form.reply_to = Party(c);
    form.subject = "Kontaktformular: Rückruf erbeten";
    form.body = "Name: " + c.name + "\nE-Mail: " + c.row->email + "\nTelefon: " + c.row->phone +
                "\nNachricht: Bitte rufen Sie mich wegen der Rechnung zurück.\n";
    Mail photo = Dated(false);
    photo.from = Party(c), photo.to = kSupport;
    photo.subject = "Damaged item / beschädigter Artikel";
    photo.body = "Hello,\n\nthe item from order " + c.order +
                 " arrived broken, see the photo.\n"
                 "Please refund to my account IBAN DE89 3704 0044 0532 0130 00.\n\n" +
                 c.name + "\n";
    photo.attachments.push_back({"foto-schaden.png", "image/png", kPng});
    photo.unread = unread;
    for (Mail* mail : {&own, &form, &photo}) mails->push_back(*mail);
  }

  // Sent: a reply, an invoice copy, and a shipping partner's mail with the
  // customer in Cc.
  void ToCustomer(const Customer& c, std::vector<Mail>* mails) {
    Mail reply = Dated(true);
    reply.from = Mailbox(kSupportName, kSupport), reply.to = Party(c);
    reply.subject = "AW: Frage zu meiner Bestellung " + c.order;
    reply.body = "Guten Tag " + c.name +
                 ",\n\nvielen Dank für Ihre Nachricht. Ihre Sendung ist "
                 "unterwegs und sollte in zwei Werktagen bei Ihnen sein.\n\nFreundliche Grüße\n"
                 "Ihr Kundenservice\n";
    Mail invoice = Dated(true);
    invoice.from = kSupport, invoice.to = Party(c);
    invoice.subject = "Your invoice copy " + c.invoice;
    invoice.body = "Dear " + c.name + ",\n\nplease find attached a copy of invoice " + c.invoice +
                   ".\n\nKind regards,\nCustomer Service\n";
    invoice.attachments.push_back(
        {"Rechnung-" + c.invoice + ".pdf", "application/pdf", Pdf(c.invoice)});
    Mail partner = Dated(true);
    partner.from = Colleague(), partner.to = Mailbox("Paketdienst Nachforschung", kPartner);
    // Upper case as people type it: the address still names the customer.
    std::string shouted = c.row->email;
    for (char& ch : shouted) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    partner.cc = Mailbox(c.name, shouted);
    partner.subject = "Nachforschungsauftrag Sendung " + c.order;
    partner.body = "Sehr geehrte Damen und Herren,\n\nbitte forschen Sie nach der Sendung zu " +
                   c.order + ". Die Empfängerin/der Empfänger steht in Kopie.\n";
    for (Mail* mail : {&reply, &invoice, &partner}) mails->push_back(*mail);
  }

  void OtherCustomer(const Customer& c, std::vector<Mail>* mails) {
    Mail own = Dated(false);
    own.from = Party(c), own.to = kSupport;
    own.subject = random_.Chance(500) ? "Wrong size delivered" : "Änderung meiner Lieferadresse";
    own.body =
        "Hello,\n\ncould you help me with order " + c.order + "?\n\nRegards,\n" + c.name + "\n";
    mails->push_back(own);
    if (!random_.Chance(500)) return;
    Mail reply = Dated(true);
    reply.from = kSupport, reply.to = Party(c);
    reply.subject = "AW: " + own.subject;
    reply.body = "Guten Tag,\n\nwir haben Ihre Anfrage erledigt.\n\nIhr Kundenservice\n";
    mails->push_back(reply);
  }

  // Mail that names a customer only in its text, or whose sender merely
  // contains a customer's address.
  void Mentions(const std::vector<Customer>& samples, std::vector<Mail>* mails) {
    Mail note = Dated(false);
    note.from = Colleague(), note.to = kSupport;
    note.subject = "Notiz: Rückruf";
    note.body = "Hat angerufen, bitte die Rechnungskopie an " + samples[0].row->email +
                " schicken. Rückfragen bitte an mich.\n";
    mails->push_back(note);
    const Customer& other = samples[samples.size() > 1 ? 1 : 0];
    Mail forward = Dated(false);
    forward.from = Colleague(), forward.to = kSupport;
    forward.subject = "WG: Beschwerde über Lieferzeit";
    forward.body = "Zur Info, die Beschwerde kam von " + other.row->email +
                   " über unser Portal.\n"
                   "Grüße aus der Buchhaltung – Jürgen\n";
    forward.body_base64 = true;
    mails->push_back(forward);
    Mail lookalike = Dated(false);
    lookalike.from = Mailbox("Newsletter-Abo", "k" + samples[0].row->email),
    lookalike.to = kSupport;
    lookalike.subject = "Abmeldung vom Newsletter";
    lookalike.body = "Bitte tragen Sie mich aus dem Newsletter aus.\n";
    mails->push_back(lookalike);
  }

 private:
  SampleRandom random_;
};

std::vector<Mail> PlanMails(const SampleCrmData& data, uint64_t seed) {
  std::map<std::string, Customer> customers;
  for (const auto& row : data.customers) {
    customers[row.customer_number] = {&row, row.first_name + " " + row.last_name, "", ""};
  }
  std::map<long long, Customer*> by_id;
  for (auto& entry : customers) by_id[entry.second.row->id] = &entry.second;
  for (const auto& order : data.orders) {
    if (by_id[order.customer_id]->order.empty())
      by_id[order.customer_id]->order = order.order_number;
  }
  for (const auto& invoice : data.invoices) {
    if (by_id[invoice.customer_id]->invoice.empty())
      by_id[invoice.customer_id]->invoice = invoice.invoice_number;
  }
  for (auto& entry : customers) {
    if (entry.second.order.empty()) entry.second.order = "ohne Bestellnummer";
    if (entry.second.invoice.empty()) entry.second.invoice = "R-ohne-Nummer";
  }
  MailPlanner planner(seed);
  std::vector<Mail> mails;
  std::vector<Customer> samples;
  for (const auto& sample : data.samples) samples.push_back(customers.at(sample.customer_number));
  for (size_t i = 0; i < samples.size(); ++i) planner.SampleCustomer(samples[i], i, &mails);
  for (size_t i = 4; i < data.customers.size() && i < 4 + 9 * 80; i += 9) {
    planner.OtherCustomer(customers.at(data.customers[i].customer_number), &mails);
  }
  if (!samples.empty()) planner.Mentions(samples, &mails);
  return mails;
}

Status WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return Internal("sample mailbox: cannot write " + path.string());
  return Status::Ok();
}

}  // namespace

Status WriteSampleMailbox(const SampleCrmData& data, const std::string& maildir_root,
                          uint64_t seed) {
  const fs::path root(maildir_root);
  std::error_code error;
  if (fs::exists(root, error) && !fs::is_empty(root, error)) {
    return Conflict("sample mailbox: " + maildir_root + " exists and is not empty");
  }
  for (const fs::path& folder : {root, root / ".Sent"}) {
    for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(folder / sub, error);
  }
  if (error)
    return Internal("sample mailbox: cannot create " + maildir_root + ": " + error.message());
  // Marks a Maildir++ subfolder, as Dovecot and Courier expect.
  DSR_RETURN_IF_ERROR(WriteFile(root / ".Sent" / "maildirfolder", ""));
  const std::vector<Mail> mails = PlanMails(data, seed);
  for (size_t i = 0; i < mails.size(); ++i) {
    const Mail& mail = mails[i];
    const std::string message = Render(mail, static_cast<int>(i + 1));
    // Maildir unique names: time, a sequence number and a host, then flags.
    const std::string unique = std::to_string(mail.day * 86400 + mail.seconds) + ".M" +
                               std::to_string(i + 1) +
                               "P4711.sample,S=" + std::to_string(message.size());
    const fs::path folder = mail.sent ? root / ".Sent" : root;
    const fs::path staged = folder / "tmp" / unique;
    DSR_RETURN_IF_ERROR(WriteFile(staged, message));
    const fs::path delivered =
        mail.unread ? folder / "new" / unique : folder / "cur" / (unique + ":2,S");
    fs::rename(staged, delivered, error);
    if (error) return Internal("sample mailbox: cannot deliver " + unique + ": " + error.message());
  }
  return Status::Ok();
}

}  // namespace dsr::sample_crm
