# ruff: noqa: E501  (one row per country reads better than wrapped rows)
"""Places, people and institutions that tie a story to a country, as Python data.

Each row of ``_COUNTRIES``: ``CODE|region|short name|other names|demonyms|places`` where
*places* are capitals, major cities, states/provinces and well-known regions. ``EU`` is the
European Union (ISO 3166 reserves the code); it belongs to Europe without being a country.
``INSTITUTIONS`` and ``PEOPLE`` name a country through a building, body or head of state
(weaker evidence than a place name). Everything is matched case-sensitively on the first
letter (see classify.py), so "Turkey" is a country and "turkey" a bird.
"""

from __future__ import annotations

import functools

REGIONS: tuple[str, ...] = (
    "Germany", "Europe", "Americas", "Middle East", "Africa", "Asia", "Oceania", "World",
)
WORLD = "World"

_REGION_KEYS = {
    "DE": "Germany", "EU": "Europe", "AM": "Americas", "ME": "Middle East",
    "AF": "Africa", "AS": "Asia", "OC": "Oceania",
}

_COUNTRIES = """
DE|DE|Germany|Federal Republic of Germany|German,Germans|Berlin,Munich,Hamburg,Frankfurt,Cologne,Stuttgart,Düsseldorf,Dusseldorf,Leipzig,Dresden,Hanover,Bremen,Nuremberg,Bavaria,Saxony,Thuringia,Brandenburg,Hesse,North Rhine-Westphalia,Baden-Württemberg,Rhineland,Bonn,Magdeburg,Rostock,Potsdam
EU|EU|EU|European Union,European Commission,European Parliament,Eurozone,eurozone|European,Europeans|Brussels
AT|EU|Austria||Austrian,Austrians|Vienna,Salzburg,Graz,Innsbruck
BE|EU|Belgium||Belgian,Belgians|Antwerp,Ghent,Bruges,Flanders,Wallonia
BG|EU|Bulgaria||Bulgarian,Bulgarians|Sofia
HR|EU|Croatia||Croatian,Croatians,Croat,Croats|Zagreb,Split,Dubrovnik
CY|EU|Cyprus||Cypriot,Cypriots|Nicosia
CZ|EU|Czech Republic|Czechia|Czech,Czechs|Prague,Brno
DK|EU|Denmark||Danish,Dane,Danes|Copenhagen,Greenland
EE|EU|Estonia||Estonian,Estonians|Tallinn
FI|EU|Finland||Finnish,Finn,Finns|Helsinki
FR|EU|France||French,Frenchman,Frenchwoman|Paris,Marseille,Lyon,Toulouse,Nantes,Strasbourg,Bordeaux,Lille,Corsica,Normandy,Brittany,Calais
GR|EU|Greece||Greek,Greeks|Athens,Thessaloniki,Crete,Lesbos,Rhodes
HU|EU|Hungary||Hungarian,Hungarians|Budapest
IE|EU|Ireland|Republic of Ireland|Irish|Dublin,Cork,Galway
IT|EU|Italy||Italian,Italians|Rome,Milan,Naples,Turin,Florence,Venice,Sicily,Sardinia,Bologna,Genoa,Lampedusa
LV|EU|Latvia||Latvian,Latvians|Riga
LT|EU|Lithuania||Lithuanian,Lithuanians|Vilnius
LU|EU|Luxembourg||Luxembourgish|
MT|EU|Malta||Maltese|Valletta
NL|EU|Netherlands|Holland|Dutch|Amsterdam,Rotterdam,The Hague
PL|EU|Poland||Polish,Pole,Poles|Warsaw,Krakow,Kraków,Gdansk,Gdańsk,Wroclaw
PT|EU|Portugal||Portuguese|Lisbon,Porto,Algarve,Praia da Luz
RO|EU|Romania||Romanian,Romanians|Bucharest
SK|EU|Slovakia||Slovak,Slovaks,Slovakian|Bratislava
SI|EU|Slovenia||Slovenian,Slovene,Slovenians|Ljubljana
ES|EU|Spain||Spanish,Spaniard,Spaniards|Madrid,Barcelona,Valencia,Seville,Catalonia,Catalan,Andalusia,Basque,Mallorca,Majorca,Ibiza,Canary Islands,Tenerife
SE|EU|Sweden||Swedish,Swede,Swedes|Stockholm,Gothenburg,Malmo,Malmö
GB|EU|UK|United Kingdom,Britain,Great Britain,England,Scotland,Wales,Northern Ireland|British,Briton,Britons,English,Scottish,Scot,Scots,Welsh|London,Kingston upon Hull,Manchester,Birmingham,Liverpool,Leeds,Glasgow,Edinburgh,Cardiff,Belfast,Bristol,Sheffield,Newcastle,Nottingham,Leicester,Oxford,Cambridge,Brighton,Southampton,Aberdeen,Dover,Kent,Yorkshire,Essex,Cornwall,Devon,Surrey,Sussex
NO|EU|Norway||Norwegian,Norwegians|Oslo,Bergen
IS|EU|Iceland||Icelandic,Icelanders|Reykjavik
CH|EU|Switzerland||Swiss|Bern,Zurich,Zürich,Geneva,Basel,Lausanne,Davos
LI|EU|Liechtenstein|||Vaduz
MC|EU|Monaco|||
AD|EU|Andorra|||
SM|EU|San Marino|||
VA|EU|Vatican|Holy See|||
RS|EU|Serbia||Serbian,Serbians,Serb,Serbs|Belgrade,Novi Sad
BA|EU|Bosnia|Bosnia and Herzegovina,Bosnia-Herzegovina|Bosnian,Bosnians|Sarajevo,Srebrenica,Republika Srpska
ME|EU|Montenegro||Montenegrin|Podgorica
MK|EU|North Macedonia|Macedonia|Macedonian|Skopje
AL|EU|Albania||Albanian,Albanians|Tirana
XK|EU|Kosovo||Kosovan,Kosovar,Kosovars|Pristina
MD|EU|Moldova||Moldovan,Moldovans|Chisinau,Transnistria
UA|EU|Ukraine||Ukrainian,Ukrainians|Kyiv,Kiev,Kharkiv,Odesa,Odessa,Lviv,Dnipro,Zaporizhzhia,Donetsk,Luhansk,Donbas,Crimea,Kherson,Mariupol,Bakhmut,Sumy,Pokrovsk
BY|EU|Belarus||Belarusian,Belarusians|Minsk
RU|EU|Russia|Russian Federation|Russian,Russians|Moscow,St Petersburg,Saint Petersburg,Siberia,Chechnya,Kaliningrad,Kursk,Belgorod,Novosibirsk
TR|EU|Turkey|Türkiye,Turkiye|Turkish,Turks|Ankara,Istanbul,Izmir
GE|EU|Georgia||Georgian,Georgians|Tbilisi
AM|EU|Armenia||Armenian,Armenians|Yerevan
AZ|EU|Azerbaijan||Azerbaijani,Azeri,Azerbaijanis|Baku,Nagorno-Karabakh,Karabakh
US|AM|US|United States,USA,America,United States of America,EEUU,EE.UU.,EUA|American,Americans|Washington,Laguna Beach,New York,Los Angeles,Chicago,Houston,Phoenix,Philadelphia,San Antonio,San Diego,Dallas,San Francisco,Seattle,Boston,Miami,Atlanta,Detroit,Denver,Las Vegas,Portland,Minneapolis,New Orleans,Baltimore,Pittsburgh,Nashville,Brooklyn,Manhattan,Hollywood,Silicon Valley,Alabama,Alaska,Arizona,Arkansas,California,Colorado,Connecticut,Delaware,Florida,Hawaii,Idaho,Illinois,Indiana,Iowa,Kansas,Kentucky,Louisiana,Maine,Maryland,Massachusetts,Michigan,Minnesota,Mississippi,Missouri,Montana,Nebraska,Nevada,New Hampshire,New Jersey,New Mexico,North Carolina,North Dakota,Ohio,Oklahoma,Oregon,Pennsylvania,Rhode Island,South Carolina,South Dakota,Tennessee,Texas,Utah,Vermont,Virginia,West Virginia,Wisconsin,Wyoming,Puerto Rico,Guam,Oakland,Sacramento,Orange County,Long Beach,Pasadena,Santa Monica,Malibu,Anaheim,Kenosha,Louisville,Rochester,Buffalo,Tulsa,Milwaukee,Cleveland,Cincinnati,Fort Worth,Orlando,Tampa,St Louis,Salt Lake City,Albuquerque,Honolulu,Anchorage
CA|AM|Canada||Canadian,Canadians|Ottawa,Toronto,Montreal,Vancouver,Calgary,Edmonton,Winnipeg,Quebec,Ontario,Alberta,British Columbia,Manitoba,Saskatchewan,Nova Scotia,New Brunswick,Newfoundland,Yukon,Nunavut
MX|AM|Mexico||Mexican,Mexicans|Mexico City,Guadalajara,Monterrey,Tijuana,Cancun,Acapulco,Sinaloa,Chihuahua,Oaxaca
GT|AM|Guatemala||Guatemalan,Guatemalans|Guatemala City
HN|AM|Honduras||Honduran,Hondurans|Tegucigalpa
SV|AM|El Salvador||Salvadoran,Salvadorans,Salvadorian|San Salvador
NI|AM|Nicaragua||Nicaraguan,Nicaraguans|Managua
CR|AM|Costa Rica||Costa Rican|San José
PA|AM|Panama||Panamanian|Panama City,Panama Canal
CU|AM|Cuba||Cuban,Cubans|Havana
HT|AM|Haiti||Haitian,Haitians|Port-au-Prince
DO|AM|Dominican Republic||Dominican|Santo Domingo
JM|AM|Jamaica||Jamaican,Jamaicans|Kingston
TT|AM|Trinidad and Tobago|Trinidad|Trinidadian|Port of Spain
BS|AM|Bahamas||Bahamian|Nassau
BB|AM|Barbados||Barbadian|Bridgetown
CO|AM|Colombia||Colombian,Colombians|Bogota,Bogotá,Medellin,Medellín,Cali
VE|AM|Venezuela||Venezuelan,Venezuelans|Caracas,Maracaibo
EC|AM|Ecuador||Ecuadorian,Ecuadorians|Quito,Guayaquil
PE|AM|Peru||Peruvian,Peruvians|Lima
BO|AM|Bolivia||Bolivian,Bolivians|La Paz
BR|AM|Brazil||Brazilian,Brazilians|Brasilia,Brasília,Rio de Janeiro,Rio,Sao Paulo,São Paulo,Amazonas,Salvador,Manaus
CL|AM|Chile||Chilean,Chileans|Santiago,Valparaiso
AR|AM|Argentina||Argentine,Argentinian,Argentines|Buenos Aires,Patagonia
UY|AM|Uruguay||Uruguayan|Montevideo
PY|AM|Paraguay||Paraguayan|Asuncion,Asunción
GY|AM|Guyana||Guyanese|
SR|AM|Suriname||Surinamese|Paramaribo
IL|ME|Israel||Israeli,Israelis|Jerusalem,Tel Aviv,Haifa,Negev,Golan Heights
PS|ME|Palestine|Palestinian territories,Gaza Strip,Gaza,West Bank|Palestinian,Palestinians,Gazan,Gazans|Ramallah,Rafah,Khan Younis,Jenin,Hebron,Nablus
LB|ME|Lebanon||Lebanese|Beirut
SY|ME|Syria||Syrian,Syrians|Damascus,Aleppo,Idlib,Homs,Raqqa
JO|ME|Jordan||Jordanian,Jordanians|Amman
IQ|ME|Iraq||Iraqi,Iraqis|Baghdad,Mosul,Basra,Erbil,Kirkuk,Kurdistan
IR|ME|Iran||Iranian,Iranians|Tehran,Isfahan,Mashhad
SA|ME|Saudi Arabia|Saudi|Saudis|Riyadh,Jeddah,Mecca,Medina
YE|ME|Yemen||Yemeni,Yemenis|Sanaa,Aden,Hodeidah,Houthi,Houthis
OM|ME|Oman||Omani|Muscat
AE|ME|UAE|United Arab Emirates,Emirates|Emirati,Emiratis|Dubai,Abu Dhabi
QA|ME|Qatar||Qatari,Qataris|Doha
BH|ME|Bahrain||Bahraini|Manama
KW|ME|Kuwait||Kuwaiti,Kuwaitis|Kuwait City
EG|ME|Egypt||Egyptian,Egyptians|Cairo,Alexandria,Sinai,Suez
LY|AF|Libya||Libyan,Libyans|Tripoli,Benghazi
TN|AF|Tunisia||Tunisian,Tunisians|Tunis
DZ|AF|Algeria||Algerian,Algerians|Algiers
MA|AF|Morocco||Moroccan,Moroccans|Rabat,Casablanca,Marrakesh,Marrakech,Western Sahara
SD|AF|Sudan||Sudanese|Khartoum,Darfur,Omdurman,El Fasher
SS|AF|South Sudan||South Sudanese|Juba
ET|AF|Ethiopia||Ethiopian,Ethiopians|Addis Ababa,Tigray,Amhara
ER|AF|Eritrea||Eritrean,Eritreans|Asmara
DJ|AF|Djibouti||Djiboutian|
SO|AF|Somalia||Somali,Somalis|Mogadishu,Somaliland,Puntland
KE|AF|Kenya||Kenyan,Kenyans|Nairobi,Mombasa
UG|AF|Uganda||Ugandan,Ugandans|Kampala
TZ|AF|Tanzania||Tanzanian,Tanzanians|Dodoma,Dar es Salaam,Zanzibar
RW|AF|Rwanda||Rwandan,Rwandans|Kigali
BI|AF|Burundi||Burundian|Bujumbura
CD|AF|DR Congo|Democratic Republic of Congo,Democratic Republic of the Congo,DRC,Congo-Kinshasa|Congolese|Kinshasa,Goma,Kivu,North Kivu,South Kivu,Ituri
CG|AF|Congo|Republic of Congo,Congo-Brazzaville||Brazzaville
CF|AF|Central African Republic|CAR||Bangui
CM|AF|Cameroon||Cameroonian,Cameroonians|Yaounde,Yaoundé,Douala
NG|AF|Nigeria||Nigerian,Nigerians|Abuja,Lagos,Kano,Borno,Maiduguri
GH|AF|Ghana||Ghanaian,Ghanaians|Accra,Kumasi
CI|AF|Ivory Coast|Côte d'Ivoire,Cote d'Ivoire|Ivorian,Ivorians|Abidjan,Yamoussoukro
SN|AF|Senegal||Senegalese|Dakar
ML|AF|Mali||Malian,Malians|Bamako,Timbuktu
BF|AF|Burkina Faso||Burkinabe|Ouagadougou
NE|AF|Niger||Nigerien,Nigeriens|Niamey
TD|AF|Chad||Chadian,Chadians|N'Djamena
MR|AF|Mauritania||Mauritanian|Nouakchott
GN|AF|Guinea||Guinean,Guineans|Conakry
GW|AF|Guinea-Bissau|||Bissau
SL|AF|Sierra Leone||Sierra Leonean|Freetown
LR|AF|Liberia||Liberian,Liberians|Monrovia
TG|AF|Togo||Togolese|Lome,Lomé
BJ|AF|Benin||Beninese|Porto-Novo,Cotonou
GM|AF|Gambia|The Gambia|Gambian|Banjul
GA|AF|Gabon||Gabonese|Libreville
GQ|AF|Equatorial Guinea|||Malabo
AO|AF|Angola||Angolan,Angolans|Luanda
ZM|AF|Zambia||Zambian,Zambians|Lusaka
ZW|AF|Zimbabwe||Zimbabwean,Zimbabweans|Harare,Bulawayo
MW|AF|Malawi||Malawian,Malawians|Lilongwe,Blantyre
MZ|AF|Mozambique||Mozambican,Mozambicans|Maputo,Cabo Delgado
ZA|AF|South Africa||South African,South Africans|Pretoria,Johannesburg,Cape Town,Durban,Soweto
NA|AF|Namibia||Namibian,Namibians|Windhoek
BW|AF|Botswana||Botswanan,Batswana|Gaborone
LS|AF|Lesotho|||Maseru
SZ|AF|Eswatini|Swaziland||Mbabane
MG|AF|Madagascar||Malagasy|Antananarivo
MU|AF|Mauritius||Mauritian|Port Louis
SC|AF|Seychelles|||
CV|AF|Cape Verde|Cabo Verde|Cape Verdean|Praia
CN|AS|China|People's Republic of China,PRC|Chinese|Beijing,Shanghai,Guangzhou,Shenzhen,Wuhan,Chengdu,Chongqing,Tianjin,Nanjing,Hangzhou,Xi'an,Xinjiang,Tibet,Uyghur,Uyghurs,Uighur,Uighurs,Inner Mongolia,Guangdong,Sichuan,Yunnan,Hubei
HK|AS|Hong Kong||Hongkongers|Kowloon
MO|AS|Macau|Macao||
TW|AS|Taiwan||Taiwanese|Taipei,Kaohsiung
JP|AS|Japan||Japanese|Tokyo,Osaka,Kyoto,Yokohama,Hiroshima,Nagasaki,Fukushima,Okinawa,Hokkaido,Sapporo,Kobe
KR|AS|South Korea|Republic of Korea|South Korean,South Koreans|Seoul,Busan,Incheon
KP|AS|North Korea|DPRK|North Korean,North Koreans|Pyongyang
MN|AS|Mongolia||Mongolian,Mongolians|Ulaanbaatar
IN|AS|India||Indian,Indians|New Delhi,Delhi,Mumbai,Bombay,Kolkata,Calcutta,Chennai,Madras,Bengaluru,Bangalore,Hyderabad,Ahmedabad,Pune,Jaipur,Lucknow,Kerala,Tamil Nadu,Karnataka,Maharashtra,Gujarat,Punjab,Bihar,Uttar Pradesh,West Bengal,Assam,Manipur,Odisha,Rajasthan,Telangana,Andhra Pradesh,Jammu,Kashmir,Goa,Chandigarh,Uttarakhand,Himachal Pradesh,Madhya Pradesh,Haryana,Jharkhand,Chhattisgarh,Ladakh,Coimbatore,Madurai,Visakhapatnam,Thiruvananthapuram,Kochi
PK|AS|Pakistan||Pakistani,Pakistanis|Islamabad,Karachi,Lahore,Peshawar,Quetta,Balochistan,Khyber Pakhtunkhwa,Rawalpindi,Sindh
BD|AS|Bangladesh||Bangladeshi,Bangladeshis|Dhaka,Chittagong,Cox's Bazar
LK|AS|Sri Lanka||Sri Lankan,Sri Lankans|Colombo,Jaffna
NP|AS|Nepal||Nepali,Nepalese|Kathmandu,Everest,Pokhara
BT|AS|Bhutan||Bhutanese|Thimphu
MV|AS|Maldives||Maldivian|
AF|AS|Afghanistan||Afghan,Afghans|Kabul,Kandahar,Herat,Helmand,Taliban
KZ|AS|Kazakhstan||Kazakh,Kazakhs|Astana,Almaty
UZ|AS|Uzbekistan||Uzbek,Uzbeks|Tashkent,Samarkand
TM|AS|Turkmenistan||Turkmen|Ashgabat
KG|AS|Kyrgyzstan||Kyrgyz|Bishkek
TJ|AS|Tajikistan||Tajik,Tajiks|Dushanbe
MM|AS|Myanmar|Burma|Burmese|Yangon,Naypyidaw,Mandalay,Rakhine
TH|AS|Thailand||Thai,Thais|Bangkok,Phuket,Chiang Mai
LA|AS|Laos||Laotian,Lao|Vientiane
KH|AS|Cambodia||Cambodian,Cambodians|Phnom Penh
VN|AS|Vietnam|Viet Nam|Vietnamese|Hanoi,Ho Chi Minh City,Saigon,Da Nang
MY|AS|Malaysia||Malaysian,Malaysians|Kuala Lumpur,Sabah,Sarawak,Penang,Johor
SG|AS|Singapore||Singaporean,Singaporeans|Jurong,Changi,Sentosa,Woodlands,Tampines,Punggol,Orchard Road
ID|AS|Indonesia||Indonesian,Indonesians|Jakarta,Bali,Sumatra,Borneo,Sulawesi,Papua,Surabaya,Lombok,Aceh
PH|AS|Philippines|Philippine|Filipino,Filipinos,Pinoy|Manila,Quezon City,Cebu,Davao,Mindanao,Luzon,Visayas,Palawan,Makati,Pasig,Taguig,Marawi,Caloocan,Batangas,Cavite,Laguna,Bulacan,Pampanga,Iloilo,Leyte,Samar,Zamboanga,Sulu,Baguio,Boracay,Malacañang,Malacanang
TL|AS|East Timor|Timor-Leste|Timorese|Dili
BN|AS|Brunei||Bruneian|Bandar Seri Begawan
AU|OC|Australia||Australian,Australians,Aussie,Aussies|Canberra,Sydney,Melbourne,Brisbane,Perth,Adelaide,Hobart,Darwin,Gold Coast,Queensland,New South Wales,NSW,Victoria,Victorian,Victorians,Tasmania,South Australia,Western Australia,Northern Territory,Geelong,Cairns,Townsville,Wollongong,Bondi,Parramatta,Sunshine Coast,Toowoomba,Ballarat,Bendigo,Launceston
NZ|OC|New Zealand|Aotearoa|New Zealander,New Zealanders,Kiwi,Kiwis|Wellington,Auckland,Christchurch,Tauranga,Dunedin,Queenstown,Napier,Rotorua,Whanganui,Palmerston North,Invercargill,Otago,Waikato,Northland,Taranaki,Southland,Marlborough,Hawke's Bay,Bay of Plenty,Coromandel,Whakaari,White Island,Aucklanders,Māori,Maori
PG|OC|Papua New Guinea|PNG|Papua New Guinean|Port Moresby,Bougainville
FJ|OC|Fiji||Fijian,Fijians|Suva
SB|OC|Solomon Islands|||Honiara
VU|OC|Vanuatu|||Port Vila
WS|OC|Samoa||Samoan,Samoans|Apia
TO|OC|Tonga||Tongan,Tongans|Nuku'alofa
KI|OC|Kiribati|||Tarawa
NR|OC|Nauru|||
TV|OC|Tuvalu|||
FM|OC|Micronesia|||
MH|OC|Marshall Islands|||
PW|OC|Palau|||
CK|OC|Cook Islands|||Rarotonga
NC|OC|New Caledonia|||Noumea,Nouméa
PF|OC|French Polynesia|||Tahiti
"""

# Bodies, buildings and offices that stand for a country ("the Kremlin said").
INSTITUTIONS: dict[str, str] = {
    "Bundestag": "DE", "Bundesrat": "DE", "Bundeswehr": "DE", "Bundesliga": "DE",
    "Bundesbank": "DE", "Chancellery": "DE", "AfD": "DE", "CDU": "DE", "CSU": "DE",
    "SPD": "DE", "Greens": "", "Deutsche Bahn": "DE", "Lufthansa": "DE",
    "Volkswagen": "DE", "Kremlin": "RU", "Duma": "RU", "Gazprom": "RU",
    "Élysée": "FR", "Elysee": "FR", "Elysée": "FR", "Matignon": "FR",
    "White House": "US", "Pentagon": "US", "Capitol Hill": "US", "Capitol": "US",
    "Congress": "US", "US Senate": "US", "Supreme Court": "", "Democrats": "US",
    "Republicans": "US", "Republican": "US", "Democratic": "", "GOP": "US", "FBI": "US",
    "CIA": "US", "NASA": "US", "Wall Street": "US", "Federal Reserve": "US", "Fed": "US",
    "Knesset": "IL", "IDF": "IL", "Mossad": "IL", "Hamas": "PS", "Hezbollah": "LB",
    "Downing Street": "GB", "Westminster": "GB", "Whitehall": "GB", "NHS": "GB",
    "Commons": "GB", "House of Lords": "GB", "Buckingham Palace": "GB", "Labour": "GB",
    "Tories": "GB", "Tory": "GB", "Conservatives": "GB", "Bank of England": "GB",
    "Scotland Yard": "GB", "Premier League": "GB",
    "Zhongnanhai": "CN", "Xinhua": "CN", "Politburo": "",
    "Lok Sabha": "IN", "Rajya Sabha": "IN", "BJP": "IN",
    "Verkhovna Rada": "UA",
    "Quai d'Orsay": "FR", "Bundesverfassungsgericht": "DE",
    "Beehive": "NZ",
    "Malacañang": "PH",
    "Elysee Palace": "FR", "Élysée Palace": "FR",
    "Blue House": "KR",
    "Bundesländer": "DE",
    "ANC": "ZA",
    "ECB": "EU",
    "Holyrood": "GB", "Stormont": "GB", "Home Office": "GB", "Met Police": "GB",
    "Ofsted": "GB", "Ofqual": "GB", "Ofcom": "GB", "DVLA": "GB",
    "State Department": "US", "Justice Department": "US", "Homeland Security": "US",
    "CDC": "US", "Secret Service": "US", "House Speaker": "US", "Oval Office": "US",
    "Congressional Budget Office": "US", "Medicare": "US", "Medicaid": "US",
    "HDB": "SG", "MRT": "SG", "CPF": "SG", "NTUC": "SG", "Temasek": "SG",
    "Malacanang": "PH", "PNP": "PH", "DepEd": "PH", "Comelec": "PH",
    # stock exchanges and their indexes: a market report is the market's country
    "ASX": "AU", "FTSE": "GB", "Nikkei": "JP", "Hang Seng": "HK", "Sensex": "IN",
    "Nifty 50": "IN", "DAX": "DE", "Kospi": "KR", "TSX": "CA", "JSE": "ZA",
    "Dow Jones": "US", "Nasdaq": "US", "NYSE": "US", "S&P 500": "US", "SGX": "SG",
    "Straits Times Index": "SG", "NZX": "NZ", "Bovespa": "BR", "CAC 40": "FR", "Topix": "JP",
    # as other languages and house styles write them: the index's own name, "Nasa", "Dax"
    "Ibovespa": "BR", "Dax": "DE", "Nasa": "US",
    # central banks and market regulators: a rate decision is its country's news
    "BoE": "GB", "BOJ": "JP", "SNB": "CH", "Swiss National Bank": "CH",
    "RBA": "AU", "Reserve Bank of Australia": "AU", "RBNZ": "NZ",
    "Reserve Bank of New Zealand": "NZ", "Bank of Korea": "KR", "BOK": "KR", "Banxico": "MX",
    "Riksbank": "SE", "Norges Bank": "NO", "PBOC": "CN",
    "People's Bank of China": "CN", "CSRC": "CN", "HKMA": "HK", "RBI": "IN",
    "Reserve Bank of India": "IN", "SEBI": "IN", "Banque de France": "FR",
    # the same seats of power as the other languages of wire services write them
    "Casa Branca": "US", "Casa Blanca": "US", "Maison Blanche": "US", "Weißes Haus": "US",
    "Weißen Haus": "US", "Weiße Haus": "US", "Casa Bianca": "US", "Witte Huis": "US",
    "Pentágono": "US", "Reserva Federal": "US", "Kreml": "RU",
    "Bundesregierung": "DE", "Kanzleramt": "DE", "Bundeskanzler": "DE",
    "Bundeskanzlerin": "DE", "Bundesfinanzministerium": "DE", "Bundesgerichtshof": "DE",
    "Bundeskartellamt": "DE", "Bundesnetzagentur": "DE", "Destatis": "DE", "Ifo": "DE",
    "Assemblée nationale": "FR", "Bercy": "FR", "Insee": "FR",
    "Palazzo Chigi": "IT", "Quirinale": "IT", "Istat": "IT", "Bankitalia": "IT",
    "Moncloa": "ES", "Congreso de los Diputados": "ES", "PSOE": "ES",
    "Casa Rosada": "AR", "Pemex": "MX",
    # Brazil's seats of power, courts, central bank and the state firms its news turns on
    "Planalto": "BR", "Itamaraty": "BR", "STF": "BR", "Supremo Tribunal Federal": "BR",
    "TCU": "BR", "Copom": "BR", "Selic": "BR", "BNDES": "BR", "Receita Federal": "BR",
    "Polícia Federal": "BR", "Câmara dos Deputados": "BR", "Senado Federal": "BR",
    "Banco Central do Brasil": "BR", "Anvisa": "BR", "Petrobras": "BR", "Eletrobras": "BR",
    "Embraer": "BR",
}

# Heads of state and government (and a few others) who mostly stand for their country.
PEOPLE: dict[str, str] = {
    "Trump": "US", "Biden": "US", "Harris": "", "Vance": "US", "Obama": "US",
    "Putin": "RU", "Lavrov": "RU", "Medvedev": "RU", "Navalny": "RU",
    "Zelensky": "UA", "Zelenskyy": "UA", "Zelenskiy": "UA",
    # as the wire's other languages write them
    "Selenskyj": "UA", "Zelenski": "UA", "Zelenskyi": "UA", "Poutine": "RU", "Putín": "RU",
    "Netanjahu": "IL", "Netanyahou": "IL", "Chamenei": "IR", "Jamenei": "IR",
    "Merz": "DE", "Scholz": "DE", "Merkel": "DE", "Steinmeier": "DE", "Pistorius": "DE",
    "Wadephul": "DE", "Baerbock": "DE", "Söder": "DE",
    "Macron": "FR", "Le Pen": "FR", "Bayrou": "FR",
    "Starmer": "GB", "Sunak": "GB", "Johnson": "", "Boris Johnson": "GB", "Farage": "GB",
    "King Charles": "GB", "Prince Harry": "GB", "Prince William": "GB",
    "Meloni": "IT", "Sánchez": "ES", "Orban": "HU", "Orbán": "HU", "Tusk": "PL",
    "Vucic": "RS", "Vučić": "RS", "Erdogan": "TR", "Erdoğan": "TR", "Lukashenko": "BY",
    "Netanyahu": "IL", "Khamenei": "IR", "Pezeshkian": "IR", "Assad": "SY",
    "Sisi": "EG", "el-Sisi": "EG", "MBS": "SA", "Bin Salman": "SA",
    "Ardern": "NZ", "Modi": "IN", "Rahul Gandhi": "IN", "Imran Khan": "PK", "Sharif": "PK",
    "Xi Jinping": "CN", "Xi": "CN", "Li Qiang": "CN", "Kim Jong Un": "KP",
    "Kim Jong-un": "KP", "Ishiba": "JP", "Takaichi": "JP", "Lee Jae-myung": "KR",
    "Duterte": "PH", "Marcos": "PH", "Prabowo": "ID", "Widodo": "ID", "Jokowi": "ID",
    "Albanese": "AU", "Morrison": "AU", "Luxon": "NZ",
    "Lula": "BR", "Bolsonaro": "BR", "Haddad": "BR", "Alckmin": "BR", "Galípolo": "BR",
    "Milei": "AR", "Maduro": "VE", "Sheinbaum": "MX",
    "Carney": "CA", "Trudeau": "CA", "Petro": "CO", "Noboa": "EC",
    "Ramaphosa": "ZA", "Tinubu": "NG", "Ruto": "KE", "Museveni": "UG", "Abiy": "ET",
    "Andrews": "", "Dan Andrews": "AU", "Berejiklian": "AU", "Palaszczuk": "AU",
    "Boris Pistorius": "DE", "Nawaz Sharif": "PK", "Shehbaz Sharif": "PK",
    "Shahbaz Sharif": "PK", "Maryam Nawaz": "PK", "Scott Morrison": "AU",
    "Ferdinand Marcos": "PH", "Bongbong Marcos": "PH", "Imelda Marcos": "PH",
    "Gustavo Petro": "CO", "Pedro Sánchez": "ES", "Pedro Sanchez": "ES",
    "Bashar al-Assad": "SY", "Bashar Assad": "SY", "Bashar al Assad": "SY",
    "Abiy Ahmed": "ET",
}

# Surnames in PEOPLE that other famous people share (Oscar Pistorius, Omar Sharif, Toni
# Morrison, Alexis Sánchez …): alone they name the country right after an office word
# ("Defence Minister Pistorius", "President Marcos", "PM Sharif"); otherwise only when
# the story names that country otherwise (the full name above, a place), like "ANC".
GUARDED_PEOPLE: frozenset[str] = frozenset({
    "Pistorius", "Sharif", "Morrison", "Marcos", "Petro", "Sánchez", "Assad", "Xi", "Abiy",
})
OFFICE_WORDS: frozenset[str] = frozenset({
    "president", "presidents", "prime", "minister", "pm", "chancellor", "premier", "leader",
    "defence", "defense", "secretary", "general", "gen", "dictator", "regime", "ruler",
    "strongman", "army", "chief",
})

# Words that stand for more than one country, as written in the tables above → the
# country they stand for when the story names nothing else ("" : none), then the others;
# a story that names one of the others otherwise takes that one ("Georgia" with Atlanta
# is the US state; "ANC" counts as South Africa's party only beside South African places).
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "Georgia": ("GE", "US"), "Georgian": ("GE", "US"), "Georgians": ("GE", "US"),
    "ANC": ("", "ZA"),
    "Congress": ("US", "IN"),  # the US Congress, or India's Congress party beside Indian places
}

# Names of whole regions ("@" + region), and names that contain a country word but are no
# country ("Indian Ocean" is not India): "-" means "consume these words, count nothing".
REGION_NAMES: dict[str, str] = {
    "Middle East": "@Middle East", "Mideast": "@Middle East", "Gulf states": "@Middle East",
    "Europe": "@Europe", "Balkans": "@Europe", "Western Balkans": "@Europe",
    "Baltic states": "@Europe", "Caucasus": "@Europe", "Scandinavia": "@Europe",
    "Latin America": "@Americas", "South America": "@Americas",
    "Central America": "@Americas", "Caribbean": "@Americas", "North America": "@Americas",
    "Africa": "@Africa", "Sahel": "@Africa", "Horn of Africa": "@Africa",
    "West Africa": "@Africa", "East Africa": "@Africa", "Southern Africa": "@Africa",
    "Asia": "@Asia", "South Asia": "@Asia", "Southeast Asia": "@Asia",
    "South East Asia": "@Asia", "Central Asia": "@Asia", "East Asia": "@Asia",
    "Pacific Islands": "@Oceania", "Indian Ocean": "-", "Pacific Ocean": "-",
    "Atlantic": "-", "Arctic": "-", "Antarctic": "-", "Antarctica": "-",
    "American football": "-", "Native American": "-", "Michael Jordan": "-", "Latin American": "@Americas",
    # a continent's adjective says where ("US steps in to fund African rare earths"), but
    # not in a people's name ("African American voters", like "Native American"); "Asian"
    # is left out: British and American news use it mostly for people ("British Asian")
    "African": "@Africa", "Middle Eastern": "@Middle East",
    "African American": "-", "African Americans": "-",
    "New England": "US", "Dagestan": "RU", "Chechen": "RU", "Svalbard": "NO",
    "Falklands": "GB", "Falkland Islands": "GB", "Ceuta": "ES", "Melilla": "ES",
    "N Korea": "KP", "N. Korea": "KP", "S Korea": "KR", "Heathrow": "GB",
    "Gatwick": "GB", "Saxony-Anhalt": "DE", "Mecklenburg": "DE", "Schleswig-Holstein": "DE",
    "Lower Saxony": "DE", "Saarland": "DE",
}

# Sections of outlets' URLs that name a region or country (/world/asia/, /news/uk-…).
URL_PLACES: dict[str, str] = {
    "world-europe": "Europe", "europe": "Europe", "world-asia": "Asia", "asia": "Asia",
    "asia-pacific": "Asia", "world-africa": "Africa", "africa": "Africa",
    "world-middle-east": "Middle East", "middleeast": "Middle East",
    "middle-east": "Middle East", "world-latin-america": "Americas", "americas": "Americas",
    "latin-america": "Americas", "world-us-canada": "Americas",
    "world-australia": "Oceania", "australia-news": "AU", "australia": "AU",
    "us": "US", "us-news": "US", "uk": "GB", "uk-news": "GB", "uk-politics": "GB",
    "uk-england": "GB", "uk-scotland": "GB", "uk-wales": "GB", "uk-northern-ireland": "GB",
    "nz": "NZ", "singapore": "SG", "india": "IN", "china": "CN", "germany": "DE",
    "california": "US", "philippines": "PH", "nation": "", "victoria": "AU", "nsw": "AU",
    "queensland": "AU", "politics-nation": "",
}


# An outlet's home country by its host, used only when a story names no place at all
# and its link is not in a world/science section (see classify.place): the story's own
# words always win. Country-code domains count by their suffix.
HOME_SUFFIXES: dict[str, str] = {
    ".uk": "GB", ".sg": "SG", ".nz": "NZ", ".au": "AU", ".ph": "PH", ".in": "IN",
    ".ie": "IE", ".ca": "CA", ".za": "ZA", ".ng": "NG", ".ke": "KE", ".pk": "PK",
    ".my": "MY", ".jp": "JP", ".kr": "KR", ".de": "DE", ".fr": "FR", ".it": "IT",
    ".es": "ES", ".br": "BR", ".mx": "MX", ".cn": "CN", ".hk": "HK", ".tw": "TW",
    ".il": "IL", ".ru": "RU", ".ua": "UA", ".gh": "GH", ".ar": "AR", ".cl": "CL",
    ".pe": "PE", ".nl": "NL", ".se": "SE", ".no": "NO", ".dk": "DK",
    ".fi": "FI", ".pl": "PL", ".at": "AT", ".ch": "CH", ".be": "BE", ".gr": "GR",
    ".tr": "TR", ".th": "TH", ".id": "ID", ".vn": "VN", ".bd": "BD", ".lk": "LK",
    ".np": "NP",
}
HOME_HOSTS: dict[str, str] = {
    "straitstimes.com": "SG", "gmanetwork.com": "PH", "abs-cbn.com": "PH",
    "philstar.com": "PH", "inquirer.net": "PH", "rappler.com": "PH",
    "latimes.com": "US", "foxnews.com": "US", "nytimes.com": "US",
    "wsj.com": "US", "washingtonpost.com": "US", "usatoday.com": "US", "npr.org": "US",
    "nbcnews.com": "US", "cbsnews.com": "US", "abcnews.go.com": "US", "politico.com": "US",
    "thehindu.com": "IN", "dailymail.co.uk": "", "theguardian.com": "",
    "bbc.co.uk": "", "bbc.com": "", "cnn.com": "", "dw.com": "", "aljazeera.com": "",
    "dw.de": "", "dw-world.de": "",  # DW's earlier domains: still an international broadcaster
    # International broadcasters, agencies and papers read worldwide: no home country.
    "france24.com": "", "rfi.fr": "", "euronews.com": "", "reuters.com": "", "apnews.com": "",
    "afp.com": "", "voanews.com": "", "rferl.org": "", "trtworld.com": "", "cgtn.com": "",
    "aljazeera.net": "", "ft.com": "", "economist.com": "", "bloomberg.com": "",
    "news.un.org": "", "nhk.or.jp": "", "i24news.tv": "", "africanews.com": "",
    # CNA: Singapore's, but an Asian broadcaster whose world and business pages are agency
    # copy from everywhere (its Singapore pages say so in the link: /singapore/…)
    "channelnewsasia.com": "", "swissinfo.ch": "",  # the same for swissinfo
    # National outlets on a generic domain.
    "cnbc.com": "US", "axios.com": "US", "thehill.com": "US", "nypost.com": "US",
    "huffpost.com": "US", "time.com": "US", "newsweek.com": "US", "pbs.org": "US",
    "theatlantic.com": "US", "vox.com": "US", "bostonglobe.com": "US",
    "chicagotribune.com": "US", "sfchronicle.com": "US", "cbs.com": "US", "abc.com": "US",
    "timesofisrael.com": "IL", "jpost.com": "IL", "haaretz.com": "IL", "ynetnews.com": "IL",
    "israelnationalnews.com": "IL", "indiatimes.com": "IN", "hindustantimes.com": "IN",
    "indianexpress.com": "IN", "ndtv.com": "IN", "dawn.com": "PK", "scmp.com": "HK",
    "koreaherald.com": "KR", "sky.com": "GB",
    "business-standard.com": "IN", "livemint.com": "IN", "moneycontrol.com": "IN",
    "financialexpress.com": "IN", "thehindubusinessline.com": "IN", "ptinews.com": "IN",
    "irishtimes.com": "IE", "news24.com": "ZA", "arabnews.com": "SA",
    "thenationalnews.com": "AE", "gulfnews.com": "AE", "kyivindependent.com": "UA",
    "themoscowtimes.com": "RU", "bangkokpost.com": "TH", "thejakartapost.com": "ID",
}  # (outlets on their country's domain — cbc.ca, abc.net.au — need no entry: HOME_SUFFIXES)
# Video and social platforms an outlet links to: their host says nothing of the outlet's
# home, so the feed's own host is read instead.
PLATFORM_HOSTS: tuple[str, ...] = (
    "youtube.com", "youtu.be", "facebook.com", "fb.watch", "twitter.com", "x.com",
    "instagram.com", "tiktok.com", "vimeo.com", "dailymotion.com", "soundcloud.com",
    "spotify.com", "apple.com",
)


def on_domain(host: str, domain: str) -> bool:
    """``host`` is ``domain`` or one of its subdomains (``www.`` and others)."""
    return host == domain or host.endswith("." + domain)


@functools.lru_cache(maxsize=1024)  # a few hosts, many stories
def is_platform(host: str) -> bool:
    return any(on_domain(host, h) for h in PLATFORM_HOSTS)


# URL sections under which a story is not the outlet's home news.
NOT_HOME_SECTIONS: frozenset[str] = frozenset({
    "world", "international", "intl", "global", "science", "science-environment",
    "technology", "tech", "space", "health", "world-news", "foreign", "worldnews",
    # the world pages of an outlet's editions in other languages
    "mundo", "monde", "mondo", "welt", "ausland", "internacional", "internationale",
})
# An international outlet's edition in another language written by one country's desk: its
# home news (a story that names no place) is that country's. Reuters' German service is
# written in Germany, its Portuguese one in Brazil; its Spanish and French services cover
# many countries, so they have none.
HOME_EDITIONS: dict[tuple[str, str], str] = {
    ("reuters.com", "de"): "DE", ("reuters.com", "pt"): "BR",
}


def edition_home(host: str, sections: list[str]) -> str | None:
    """The home country of the language edition a link is in (``HOME_EDITIONS``), or None."""
    host = host.removeprefix("www.")
    return next((c for (h, lang), c in HOME_EDITIONS.items()
                 if sections[:1] == [lang] and on_domain(host, h)), None)


def home_country(host: str, sections: list[str], configured: str | None = None) -> str:
    """The outlet's home country for a link (``configured``, else see ``HOME_HOSTS``), or ""
    when none fits or the link is in a world, science or health section."""
    if any(s in NOT_HOME_SECTIONS or s.startswith(("world", "science", "health"))
           for s in sections[:3]):
        return ""
    if configured is not None:
        return configured
    host = host.removeprefix("www.")
    edition = edition_home(host, sections)
    if edition is not None:
        return edition
    for h, code in HOME_HOSTS.items():
        if on_domain(host, h):
            return code
    return next((c for s, c in HOME_SUFFIXES.items() if host.endswith(s)), "")


def _split(field: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in field.split(",") if p.strip())


def _parse() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, ...]],
                      dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    names: dict[str, str] = {}
    regions: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    demonyms: dict[str, tuple[str, ...]] = {}
    places: dict[str, tuple[str, ...]] = {}
    for line in _COUNTRIES.strip().splitlines():
        code, region, name, other, dem, plc = (line.split("|") + [""] * 6)[:6]
        if code in names:
            continue
        names[code] = name
        regions[code] = _REGION_KEYS[region]
        aliases[code] = (name, *_split(other))
        demonyms[code] = _split(dem)
        places[code] = _split(plc)
    return names, regions, aliases, demonyms, places


COUNTRY_NAMES, DEFAULT_COUNTRY_REGION, COUNTRY_ALIASES, DEMONYMS, PLACES = _parse()
COUNTRY_CODES: frozenset[str] = frozenset(COUNTRY_NAMES)



# Demonyms as French, Spanish, Portuguese, Italian and German write them, lower-case as
# those languages do ("l'île iranienne de Kharg", "militares iranianos", "trigo australiano
# e argentino", "russische Drohnen"). ``stem{a,b}`` stands for stem+a and stem+b. Only
# one-word forms: "norte-americano" and "sul-coreano" are written with a hyphen that also
# joins "sul-americano" (South American), so the Americas, the Koreas and South Africa are
# left to their names.
_FOREIGN_DEMONYMS = """
US estadounidense{,s} estadunidense{,s} statunitense{,i} américain{,e,s,es} amerikanisch{,e,en,er,es}
CN chin{o,os,as} chin{ês,esa,eses,esas} chines{e,i} chinois{,e,es} chinesisch{,e,en,er,es}
RU rus{o,a,os,as} russ{o,a,i,e,os,as} russe{,s} russisch{,e,en,er,es}
UA ucranian{o,a,os,as} ucrain{o,a,i,e} ukrainien{,ne,s,nes} ukrainisch{,e,en,er,es}
IR iran{í,íes} iranian{o,a,os,as,i,e} iranien{,ne,s,nes} iranisch{,e,en,er,es}
IL israel{í,íes} israelense{,s} israelian{o,a,i,e} israélien{,ne,s,nes} israelisch{,e,en,er,es}
DE alem{án,ana,anes,anas,ão,ã,ães,ãs} tedesc{o,a,hi,he} allemand{,e,s,es}
FR franc{és,ês,esa,eses,esas,ese,esi} français{,e,es} französisch{,e,en,er,es}
GB británic{o,a,os,as} britânic{o,a,os,as} britannic{o,a,i,he} britannique{,s} britisch{,e,en,er,es}
IT italian{o,a,os,as,i,e} italien{,ne,s,nes} italienisch{,e,en,er,es}
ES español{,a,es,as} espanhol{,a,ais,as} spagnol{o,a,i,e} espagnol{,e,s,es} spanisch{,e,en,er,es}
JP japon{és,ês,esa,eses,esas} giappones{e,i} japonais{,e,es} japanisch{,e,en,er,es}
IN indian{o,os,as,i,e} indien{,ne,s,nes} indisch{,e,en,er,es}
BR brasileñ{o,a,os,as} brasileir{o,a,os,as} brasilian{o,a,i,e} brésilien{,ne,s,nes} brasilianisch{,e,en,er,es}
MX mexican{o,a,os,as,i,e} mexicain{,e,s,es} mexikanisch{,e,en,er,es}
AR argentin{o,os,as,i,e} argentinisch{,e,en,er,es}
AU australian{o,a,os,as,i,e} australien{,ne,s,nes} australisch{,e,en,er,es}
CA canadiense{,s} canadense{,s} canades{e,i} canadien{,ne,s,nes} kanadisch{,e,en,er,es}
VE venezolan{o,a,os,as} venezuelan{o,a,os,as,i,e} vénézuélien{,ne,s,nes} venezolanisch{,e,en,er,es}
CO colombian{o,a,os,as,i,e} colombien{,ne,s,nes} kolumbianisch{,e,en,er,es}
CL chilen{o,a,os,as} chilien{,ne,s,nes}
PE peruan{o,a,os,as,i,e} péruvien{,ne,s,nes}
CU cuban{o,a,os,as,i,e} cubain{,e,s,es} kubanisch{,e,en,er,es}
BO bolivian{o,a,os,as,i,e} bolivien{,ne,s,nes}
EC ecuatorian{o,a,os,as} equatorian{o,a,os,as}
TR turc{o,a,os,as,hi,he} turque{,s} türkisch{,e,en,er,es}
PL polac{o,a,os,as,chi,che} polon{ês,esa,eses,esas} polonais{,e,es} polnisch{,e,en,er,es}
NL holand{és,ês,esa,eses,esas} neerland{és,ês,esa,eses,esas} olandes{e,i} néerlandais{,e,es} niederländisch{,e,en,er,es}
SE suec{o,a,os,as} svedes{e,i} suédois{,e,es} schwedisch{,e,en,er,es}
CH suiz{o,a,os,as} suíç{o,a,os,as} svizzer{o,a,i,e} schweizerisch{,e,en,er,es}
GR grieg{o,a,os,as} greg{o,a,os,as} grec{,que,s,ques} griechisch{,e,en,er,es}
AT austríac{o,a,os,as} austriac{o,a,i,he} autrichien{,ne,s,nes} österreichisch{,e,en,er,es}
HU húngar{o,a,os,as} ungheres{e,i} hongrois{,e,es} ungarisch{,e,en,er,es}
PT portugu{és,ês,esa,eses,esas} portoghes{e,i} portugais{,e,es} portugiesisch{,e,en,er,es}
BE belg{a,as,i,he} belge{,s} belgisch{,e,en,er,es}
EG egipci{o,a,os,as} egípci{o,a,os,as} egizian{o,a,i,e} égyptien{,ne,s,nes} ägyptisch{,e,en,er,es}
SA saud{í,íes} saudit{a,as,i,e} saoudien{,ne,s,nes} saudisch{,e,en,er,es}
SY siri{o,os,as} síri{o,os,as} sirian{o,a,i,e} syrien{,ne,s,nes} syrisch{,e,en,er,es}
IQ iraquí{,es} iraquian{o,a,os,as} irachen{o,a,i,e} irakien{,ne,s,nes} irakisch{,e,en,er,es}
LB liban{és,ês,esa,eses,esas,ese,esi} libanais{,e,es} libanesisch{,e,en,er,es}
PS palestin{o,os,as} palestines{e,i} palestinien{,ne,s,nes} palästinensisch{,e,en,er,es}
PK paquistan{í,íes,ês,esa,eses,esas} pakistan{ais,aise,aises,isch,ische,ischen}
NG nigerian{o,a,os,as,i,e} nigérian{,e,s,es}
ID indonesi{o,a,os,as} indonesian{o,a,i,e} indonésien{,ne,s,nes} indonesisch{,e,en,er,es}
VN vietnamita{,s} vietnamien{,ne,s,nes} vietnamesisch{,e,en,er,es}
TW taiwan{és,ês,esa,eses,esas,ese,esi} taïwanais{,e,es}
ET etíope{,s} éthiopien{,ne,s,nes}
YE yemení{,es} iemenita{,s} yéménite{,s}
JO jordan{o,os,as} jordanien{,ne,s,nes}
"""


def _expand(form: str) -> list[str]:
    stem, _, rest = form.partition("{")
    if not rest:
        return [stem]
    return [stem + end for end in rest.rstrip("}").split(",")]


FOREIGN_DEMONYMS: dict[str, tuple[str, ...]] = {
    line.split()[0]: tuple(w for f in line.split()[1:] for w in _expand(f))
    for line in _FOREIGN_DEMONYMS.strip().splitlines()
}
