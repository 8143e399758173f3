#include "tools/sample-crm/sample_people.h"

#include <vector>

namespace dsr::sample_crm {
namespace {

struct Spelling {
  std::string written;
  std::string ascii;
};

// Names by origin; the weight is per mille of customers.
struct NameOrigin {
  int weight;
  std::vector<Spelling> first;
  std::vector<Spelling> last;
};

const std::vector<NameOrigin>& NameOrigins() {
  static const std::vector<NameOrigin> kOrigins = {
      {550,
       {{"Jürgen", "juergen"},
        {"Günther", "guenther"},
        {"Käthe", "kaethe"},
        {"Björn", "bjoern"},
        {"Jörg", "joerg"},
        {"Bärbel", "baerbel"},
        {"Dörte", "doerte"},
        {"Hans-Jürgen", "hans-juergen"},
        {"Anne-Kathrin", "anne-kathrin"},
        {"Anna", "anna"},
        {"Lena", "lena"},
        {"Lukas", "lukas"},
        {"Felix", "felix"},
        {"Sophie", "sophie"},
        {"Maximilian", "maximilian"},
        {"Marie", "marie"},
        {"Hannah", "hannah"},
        {"Jonas", "jonas"},
        {"Ursula", "ursula"},
        {"Klaus", "klaus"},
        {"Heike", "heike"},
        {"Sabine", "sabine"},
        {"Wolfgang", "wolfgang"},
        {"Uwe", "uwe"},
        {"Renate", "renate"},
        {"Matthias", "matthias"},
        {"Stefanie", "stefanie"},
        {"Jan", "jan"}},
       {{"Müller", "mueller"},
        {"Schmidt", "schmidt"},
        {"Schneider", "schneider"},
        {"Fischer", "fischer"},
        {"Weber", "weber"},
        {"Meyer", "meyer"},
        {"Wagner", "wagner"},
        {"Becker", "becker"},
        {"Schulz", "schulz"},
        {"Hoffmann", "hoffmann"},
        {"Schäfer", "schaefer"},
        {"Koch", "koch"},
        {"Richter", "richter"},
        {"Klein", "klein"},
        {"Schröder", "schroeder"},
        {"Neumann", "neumann"},
        {"Zimmermann", "zimmermann"},
        {"Krüger", "krueger"},
        {"Weiß", "weiss"},
        {"Groß", "gross"},
        {"Köhler", "koehler"},
        {"Jäger", "jaeger"},
        {"Böhm", "boehm"},
        {"von Bülow", "vonbuelow"},
        {"Strauß", "strauss"}}},
      {100,
       {{"Ayşe", "ayse"},
        {"Özlem", "oezlem"},
        {"Çağrı", "cagri"},
        {"Emre", "emre"},
        {"Elif", "elif"},
        {"Mehmet", "mehmet"},
        {"Gülşen", "guelsen"}},
       {{"Yılmaz", "yilmaz"},
        {"Çelik", "celik"},
        {"Öztürk", "oeztuerk"},
        {"Şahin", "sahin"},
        {"Aydın", "aydin"},
        {"Doğan", "dogan"}}},
      {80,
       {{"Łukasz", "lukasz"},
        {"Małgorzata", "malgorzata"},
        {"Paweł", "pawel"},
        {"Agnieszka", "agnieszka"},
        {"Wojciech", "wojciech"},
        {"Zofia", "zofia"}},
       {{"Wróbel", "wrobel"},
        {"Kowalczyk", "kowalczyk"},
        {"Nowak", "nowak"},
        {"Dąbrowski", "dabrowski"},
        {"Zieliński", "zielinski"},
        {"Wiśniewska", "wisniewska"}}},
      {60,
       {{"Élodie", "elodie"},
        {"François", "francois"},
        {"Anaïs", "anais"},
        {"Chloé", "chloe"},
        {"Jérôme", "jerome"},
        {"Hélène", "helene"},
        {"Benoît", "benoit"}},
       {{"Lefèvre", "lefevre"},
        {"Bénard", "benard"},
        {"Chevalier", "chevalier"},
        {"Dubois", "dubois"},
        {"Le Gall", "legall"},
        {"Fontaine", "fontaine"}}},
      {50,
       {{"Zoë", "zoe"},
        {"Søren", "soeren"},
        {"Åsa", "asa"},
        {"Øystein", "oystein"},
        {"Sigrún", "sigrun"},
        {"Ingrid", "ingrid"}},
       {{"Ødegård", "odegard"},
        {"Sørensen", "sorensen"},
        {"Ångström", "angstrom"},
        {"Bjørnstad", "bjornstad"},
        {"Lindqvist", "lindqvist"}}},
      {50,
       {{"José", "jose"},
        {"María", "maria"},
        {"Iñigo", "inigo"},
        {"João", "joao"},
        {"Inês", "ines"}},
       {{"Núñez", "nunez"},
        {"Peña", "pena"},
        {"García", "garcia"},
        {"Conceição", "conceicao"},
        {"Muñoz", "munoz"}}},
      {40,
       {{"芳", "fang"}, {"伟", "wei"}, {"娜", "na"}, {"静", "jing"}, {"磊", "lei"}},
       {{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}}},
      {40,
       {{"Hương", "huong"}, {"Minh", "minh"}, {"Thảo", "thao"}, {"Đức", "duc"}},
       {{"Nguyễn", "nguyen"}, {"Trần", "tran"}, {"Phạm", "pham"}, {"Lê", "le"}}},
      {30,
       {{"Δημήτρης", "dimitris"}, {"Ελένη", "eleni"}, {"Νίκος", "nikos"}},
       {{"Παπαδόπουλος", "papadopoulos"}, {"Οικονόμου", "oikonomou"}, {"Γεωργίου", "georgiou"}}},
  };
  return kOrigins;
}

struct City {
  std::string name;
  std::string postal_pattern;  // '#' becomes a digit, '?' an upper-case letter
  std::string area_code;
};

struct Country {
  int weight;  // per mille of customers
  std::string code;
  std::string calling_code;
  std::string trunk_prefix;
  std::string currency;
  bool number_first;  // "12 rue de la Paix" rather than "Hauptstraße 12"
  std::vector<City> cities;
  std::vector<std::string> streets;
  std::vector<std::string> mobile_prefixes;
};

const std::vector<Country>& Countries() {
  static const std::vector<Country> kCountries = {
      {800,
       "DE",
       "49",
       "0",
       "EUR",
       false,
       {{"Berlin", "101##", "30"},
        {"Hamburg", "201##", "40"},
        {"München", "803##", "89"},
        {"Köln", "506##", "221"},
        {"Frankfurt am Main", "603##", "69"},
        {"Stuttgart", "701##", "711"},
        {"Düsseldorf", "402##", "211"},
        {"Leipzig", "041##", "341"},
        {"Dresden", "010##", "351"},
        {"Nürnberg", "904##", "911"},
        {"Würzburg", "970##", "931"},
        {"Lübeck", "235##", "451"},
        {"Görlitz", "028##", "3581"}},
       {"Hauptstraße", "Bahnhofstraße", "Schloßallee", "Gartenweg", "Lindenstraße", "Am Mühlbach",
        "Goethestraße", "Königsallee", "Große Ulrichstraße", "Fröbelstraße", "Weißdornweg"},
       {"151", "160", "170", "176"}},
      {80,
       "AT",
       "43",
       "0",
       "EUR",
       false,
       {{"Wien", "1###", "1"}, {"Graz", "80##", "316"}, {"Salzburg", "50##", "662"}},
       {"Mariahilfer Straße", "Hauptplatz", "Getreidegasse", "Währinger Straße"},
       {"664", "676", "699"}},
      {50,
       "CH",
       "41",
       "0",
       "CHF",
       false,
       {{"Zürich", "80##", "44"}, {"Basel", "40##", "61"}, {"Genève", "12##", "22"}},
       {"Bahnhofstrasse", "Rue du Rhône", "Seefeldstrasse", "Spalenberg"},
       {"76", "78", "79"}},
      {30,
       "FR",
       "33",
       "0",
       "EUR",
       true,
       {{"Paris", "750##", "1"}, {"Lyon", "690##", "4"}, {"Strasbourg", "670##", "3"}},
       {"rue de la Paix", "avenue Jean Jaurès", "boulevard Saint-Germain", "place des Célestins"},
       {"6", "7"}},
      {20,
       "PL",
       "48",
       "",
       "PLN",
       false,
       {{"Warszawa", "00-9##", "22"}, {"Kraków", "30-0##", "12"}, {"Gdańsk", "80-8##", "58"}},
       {"ul. Marszałkowska", "ul. Długa", "ul. Świętokrzyska"},
       {"501", "601", "791"}},
      {20,
       "NL",
       "31",
       "0",
       "EUR",
       false,
       {{"Amsterdam", "10## ??", "20"}, {"Rotterdam", "30## ??", "10"}},
       {"Prinsengracht", "Keizersgracht", "Coolsingel"},
       {"6"}},
  };
  return kCountries;
}

template <typename T>
const T& PickWeighted(SampleRandom& random, const std::vector<T>& items) {
  int64_t roll = random.Between(0, 999);
  for (const auto& item : items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return items.back();
}

std::string FillPattern(SampleRandom& random, const std::string& pattern) {
  std::string filled;
  for (char c : pattern) {
    if (c == '#') {
      filled += static_cast<char>('0' + random.Between(0, 9));
    } else if (c == '?') {
      filled += static_cast<char>('A' + random.Between(0, 25));
    } else {
      filled += c;
    }
  }
  return filled;
}

const Country& CountryByCode(const std::string& code) {
  for (const auto& country : Countries()) {
    if (country.code == code) return country;
  }
  return Countries().front();
}

// "1234567" → "123 45 67": how many people write long numbers.
std::string GroupDigits(const std::string& digits) {
  std::string grouped;
  const size_t head = digits.size() % 2 == 0 ? 2 : 3;
  grouped = digits.substr(0, head);
  for (size_t i = head; i < digits.size(); i += 2) grouped += " " + digits.substr(i, 2);
  return grouped;
}

}  // namespace

PersonName RandomName(SampleRandom& random) {
  const NameOrigin& origin = PickWeighted(random, NameOrigins());
  const Spelling& first = random.Pick(origin.first);
  const Spelling& last = random.Pick(origin.last);
  return {first.written, last.written, first.ascii, last.ascii};
}

Residence RandomResidence(SampleRandom& random) {
  const Country& country = PickWeighted(random, Countries());
  const City& city = random.Pick(country.cities);
  const std::string& street = random.Pick(country.streets);
  std::string number = std::to_string(random.Between(1, 180));
  if (random.Chance(100)) number += static_cast<char>('a' + random.Between(0, 3));
  Residence residence;
  residence.address.street = country.number_first ? number + " " + street : street + " " + number;
  residence.address.postal_code = FillPattern(random, city.postal_pattern);
  residence.address.city = city.name;
  residence.address.country = country.code;
  residence.landline = {country.calling_code, country.trunk_prefix, city.area_code,
                        random.Digits(static_cast<int>(random.Between(6, 8)))};
  residence.currency = country.currency;
  return residence;
}

PhoneNumber RandomMobile(SampleRandom& random, const Residence& residence) {
  const Country& country = CountryByCode(residence.address.country);
  return {country.calling_code, country.trunk_prefix, random.Pick(country.mobile_prefixes),
          random.Digits(static_cast<int>(random.Between(7, 8)))};
}

std::string FormatPhone(SampleRandom& random, const PhoneNumber& number, PhoneForm form) {
  const std::string& cc = number.country_code;
  const std::string& area = number.area_code;
  const std::string& line = number.subscriber;
  if (form == PhoneForm::kInternational) {
    switch (random.Between(0, 3)) {
      case 0:
        return "+" + cc + " " + area + " " + line;
      case 1:
        return "+" + cc + "-" + area + "-" + line;
      case 2:
        return "+" + cc + " (" + area + ") " + GroupDigits(line);
      default:
        return "+" + cc + area + line;
    }
  }
  const std::string national = number.trunk_prefix + area;
  switch (random.Between(0, 3)) {
    case 0:
      return national + "/" + line;
    case 1:
      return national + " " + line;
    case 2:
      return "(" + national + ") " + GroupDigits(line);
    default:
      return national + "-" + line;
  }
}

}  // namespace dsr::sample_crm
