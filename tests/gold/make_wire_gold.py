"""Writes wire_sentences.jsonl: DiploKG's own gold sentences in wire-news style, all 16 PLOVER types.

Each entry: text, then the events a careful coder would code: (PLOVER type, source ISO3, target ISO3,
factuality). "" means no country (or none named). "IGO" is an intergovernmental organisation. The
sentences were written before the extractor was tuned on them; edit here and re-run to regenerate.
"""
import json
from pathlib import Path

A, N, H, F = "asserted", "negated", "hypothetical", "future"
S = [
    # AGREE
    ("Iran agreed on Tuesday to resume talks with the European Union on its nuclear programme, officials said.", [("AGREE", "IRN", "IGO", A)]),
    ("Pakistan pledged to help Afghanistan rebuild its border posts, the foreign ministry said in a statement.", [("AGREE", "PAK", "AFG", A)]),
    ("Japan promised Vietnam a new package of development loans during the visit.", [("AGREE", "JPN", "VNM", A)]),
    ("Turkey offered to host a new round of peace talks between Russia and Ukraine.", [("AGREE", "TUR", "", A)]),
    ("Ethiopian Prime Minister Abiy Ahmed vowed to cooperate with Sudan on the disputed border.", [("AGREE", "ETH", "SDN", A)]),
    ("The African Union proposed a ceasefire to the warring parties in Sudan on Sunday.", [("AGREE", "IGO", "", A)]),
    ("Colombia and Venezuela agreed to reopen their shared border to trade.", [("AGREE", "COL", "VEN", A)]),
    # CONSULT
    ("French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Monday.", [("CONSULT", "FRA", "DEU", A)]),
    ("Chinese Foreign Minister Wang Yi held talks with his Russian counterpart Sergei Lavrov in Beijing.", [("CONSULT", "CHN", "RUS", A)]),
    ("Indian Prime Minister Narendra Modi will visit Japan next week, his office said.", [("CONSULT", "IND", "JPN", F)]),
    ("Saudi Arabia's crown prince spoke by phone with the Emir of Qatar on Thursday.", [("CONSULT", "SAU", "QAT", A)]),
    ("Norway has mediated between the Colombian government and rebel groups for years.", [("CONSULT", "NOR", "COL", A)]),
    ("Kenyan President William Ruto hosted his Ugandan counterpart Yoweri Museveni in Nairobi.", [("CONSULT", "KEN", "UGA", A)]),
    ("The Brazilian foreign minister arrived in Argentina for talks on regional trade.", [("CONSULT", "BRA", "ARG", A)]),
    ("Egypt, Qatar and the United States have been mediating between Israel and Hamas for months.",
     [("CONSULT", m, p, A) for m in ("EGY", "QAT", "USA") for p in ("ISR", "PSE")]),
    ("Britain's foreign secretary did not meet Iranian officials during the trip, a spokesman said.", [("CONSULT", "GBR", "IRN", N)]),
    # SUPPORT
    ("The United States praised Kenya for leading the security mission in Haiti.", [("SUPPORT", "USA", "KEN", A)]),
    ("Spain, Ireland and Norway formally recognised a Palestinian state on Tuesday.",
     [("SUPPORT", c, "PSE", A) for c in ("ESP", "IRL", "NOR")]),
    ("Azerbaijan and Armenia signed a peace agreement in Washington, ending decades of conflict.", [("SUPPORT", "AZE", "ARM", A)]),
    ("The European Union welcomed Serbia's decision to join the sanctions.", [("SUPPORT", "IGO", "SRB", A)]),
    ("Germany backed Poland's request for more NATO troops on its eastern flank.", [("SUPPORT", "DEU", "POL", A)]),
    ("India and the United Arab Emirates signed a trade pact on Friday.", [("SUPPORT", "IND", "ARE", A)]),
    ("The Philippines endorsed Japan's bid for a permanent seat on the Security Council.", [("SUPPORT", "PHL", "JPN", A)]),
    # CONCEDE
    ("China eased restrictions on Australian wine imports after a three-year dispute.", [("CONCEDE", "CHN", "AUS", A)]),
    ("The Venezuelan government lifted a ban on opposition candidates after talks in Barbados.", [("CONCEDE", "VEN", "VEN", A)]),
    ("Turkey relaxed its objections to Sweden joining NATO, diplomats said.", [("CONCEDE", "TUR", "SWE", A)]),
    ("Israel would ease the blockade of Gaza if the hostages are freed, officials said.", [("CONCEDE", "ISR", "PSE", H)]),
    ("Myanmar's junta eased a curfew in Yangon on Monday.", [("CONCEDE", "MMR", "MMR", A)]),
    ("The United States lifted sanctions on Syrian banks on Friday.", [("CONCEDE", "USA", "SYR", A)]),
    # COOPERATE
    ("Japan and the Philippines will cooperate on maritime security in the South China Sea.", [("COOPERATE", "JPN", "PHL", F)]),
    ("France and India held joint naval exercises in the Indian Ocean.", [("MOBILIZE", "FRA", "IND", A)]),
    ("Ghana and Nigeria agreed to share intelligence on armed groups in the Sahel.", [("AGREE", "GHA", "NGA", A)]),
    ("South Korea will trade more closely with Vietnam under the new deal.", [("COOPERATE", "KOR", "VNM", F)]),
    ("Germany and Namibia cooperated on a green hydrogen project last year.", [("COOPERATE", "DEU", "NAM", A)]),
    ("Chile traded lithium with China worth billions of dollars last year.", [("COOPERATE", "CHL", "CHN", A)]),
    # AID
    ("The United States sent humanitarian aid to Sudan on Wednesday.", [("AID", "USA", "SDN", A)]),
    ("Germany will supply air defence missiles to Ukraine, the defence ministry said.", [("AID", "DEU", "UKR", F)]),
    ("Japan provided emergency food aid to Afghanistan after the earthquake.", [("AID", "JPN", "AFG", A)]),
    ("The World Bank delivered assistance to Pakistan after the floods.", [("AID", "IGO", "PAK", A)]),
    ("Qatar sent medical supplies and aid to Gaza through Egypt.", [("AID", "QAT", "PSE", A)]),
    ("Britain did not provide aid to the Syrian government, a minister said.", [("AID", "GBR", "SYR", N)]),
    # RETREAT
    ("Russia released two American citizens in a prisoner swap on Thursday.", [("RETREAT", "RUS", "USA", A)]),
    ("Israeli troops withdrew from the Jenin refugee camp after a two-day raid.", [("RETREAT", "ISR", "PSE", A)]),
    ("Hamas freed four Israeli hostages on Saturday under the truce.", [("RETREAT", "PSE", "ISR", A)]),
    ("Armenian forces pulled out of three villages on the border with Azerbaijan.", [("RETREAT", "ARM", "AZE", A)]),
    ("Iran released a French tourist detained since 2022, Paris said.", [("RETREAT", "IRN", "FRA", A)]),
    ("Russia would withdraw its troops from the plant if Ukraine stopped shelling it, an official said.", [("RETREAT", "RUS", "UKR", H)]),
    # REQUEST: demands and orders (CAMEO 10) and calls for an official's dismissal. Appeals (CAMEO 02: urged,
    # asked, called on, appealed) are dropped by PLOVER's CAMEO to PLOVER table: no event (codebook.jsonl).
    ("The United Nations urged Myanmar to release political prisoners.", []),
    ("Poland asked Germany to pay reparations for the Second World War.", []),
    ("Ukraine called on NATO to supply more air defence systems.", []),
    ("China demanded that Japan stop releasing treated water into the sea.", [("REQUEST", "CHN", "JPN", A)]),
    ("Pakistan appealed to the International Monetary Fund for emergency funds.", []),
    ("Iraq pressed Turkey to release more water from its dams.", [("REQUEST", "IRQ", "TUR", A)]),
    ("Turkey insisted that Sweden extradite the suspects.", [("REQUEST", "TUR", "SWE", A)]),
    ("Bangladesh's opposition called for the resignation of Prime Minister Sheikh Hasina.", [("REQUEST", "BGD", "BGD", A)]),
    # ACCUSE
    ("China condemned the United States for sending warships through the Taiwan Strait.", [("ACCUSE", "CHN", "USA", A)]),
    ("Ukraine accused Russia of attacking its grain ports in Odesa.", [("ACCUSE", "UKR", "RUS", A)]),
    ("The Netherlands criticised Hungary over its media law.", [("ACCUSE", "NLD", "HUN", A)]),
    ("Iran blamed Israel for the explosion at the Natanz nuclear site.", [("ACCUSE", "IRN", "ISR", A)]),
    ("South Africa denounced Israel's offensive in Gaza at the United Nations.", [("ACCUSE", "ZAF", "ISR", A)]),
    ("The International Criminal Court is investigating Venezuela over the crackdown on protesters.", [("ACCUSE", "IGO", "VEN", A)]),
    ("Mexico did not criticise Washington's new tariffs, officials said.", [("ACCUSE", "MEX", "USA", N)]),
    # REJECT
    ("Israel rejected a French proposal for a ceasefire in Lebanon.", [("REJECT", "ISR", "FRA", A)]),
    ("Russia vetoed a UN Security Council resolution on Ukraine.", [("REJECT", "RUS", "IGO", A)]),
    ("Hungary blocked the European Union's aid package for Ukraine.", [("REJECT", "HUN", "IGO", A)]),
    ("North Korea refused South Korea's offer of talks.", [("REJECT", "PRK", "KOR", A)]),
    ("Ethiopia dismissed Egypt's demands over the Nile dam.", [("REJECT", "ETH", "EGY", A)]),
    ("Serbia rebuffed Kosovo's call for a new border agreement.", [("REJECT", "SRB", "XKX", A)]),
    # THREATEN
    ("North Korea threatened South Korea with nuclear strikes on Sunday.", [("THREATEN", "PRK", "KOR", A)]),
    ("Iran warned Israel against any attack on its nuclear facilities.", [("THREATEN", "IRN", "ISR", A)]),
    ("China threatened Lithuania with economic retaliation over Taiwan.", [("THREATEN", "CHN", "LTU", A)]),
    ("Russia warned Finland of countermeasures after it joined NATO.", [("THREATEN", "RUS", "FIN", A)]),
    ("Turkey threatened Greece over the militarisation of Aegean islands.", [("THREATEN", "TUR", "GRC", A)]),
    ("Azerbaijan warned Armenia that it would respond to any provocation.", [("THREATEN", "AZE", "ARM", A)]),
    # PROTEST
    ("Thousands of Georgian protesters rallied against the government in Tbilisi on Saturday.", [("PROTEST", "GEO", "GEO", A)]),
    ("Kenyan demonstrators protested against new taxes in Nairobi.", [("PROTEST", "KEN", "", A)]),
    ("Serbian students staged a protest outside the parliament in Belgrade.", [("PROTEST", "SRB", "", A)]),
    ("Israeli protesters demonstrated against the government's judicial overhaul.", [("PROTEST", "ISR", "ISR", A)]),
    ("French farmers blocked motorways around Paris to protest against EU rules.", [("PROTEST", "FRA", "", A)]),
    ("Iranian activists boycotted the election, opposition groups said.", [("PROTEST", "IRN", "", A)]),
    # SANCTION
    ("Niger expelled the French ambassador on Friday.", [("SANCTION", "NER", "FRA", A)]),
    ("Bolivia severed diplomatic ties with Israel over the war in Gaza.", [("SANCTION", "BOL", "ISR", A)]),
    ("Algeria cut diplomatic relations with Morocco in 2021.", [("SANCTION", "DZA", "MAR", A)]),
    ("The United States suspended military aid to Niger after the coup.", [("SANCTION", "USA", "NER", A)]),
    ("Mali expelled United Nations peacekeepers from the country.", [("SANCTION", "MLI", "IGO", A)]),
    ("Lithuania expelled two Russian diplomats on Tuesday.", [("SANCTION", "LTU", "RUS", A)]),
    # MOBILIZE
    ("Russia deployed additional troops to the border with Finland.", [("MOBILIZE", "RUS", "FIN", A)]),
    ("China held military exercises around Taiwan on Thursday.", [("MOBILIZE", "CHN", "TWN", A)]),
    ("The United States sent warships to the Red Sea after the attacks.", [("MOBILIZE", "USA", "", A)]),
    ("Venezuela mobilised troops near the Guyana border.", [("MOBILIZE", "VEN", "GUY", A)]),
    ("Poland will deploy soldiers to its border with Belarus, the defence minister said.", [("MOBILIZE", "POL", "BLR", F)]),
    ("NATO deployed fighter jets to Romania to patrol the Black Sea.", [("MOBILIZE", "IGO", "ROU", A)]),
    # COERCE
    ("Russian police arrested dozens of protesters in Moscow on Sunday.", [("COERCE", "RUS", "RUS", A)]),
    ("Iran detained a British-Iranian aid worker in Tehran.", [("COERCE", "IRN", "GBR", A)]),
    ("The European Union imposed sanctions on Belarus over the forced landing of a passenger jet.", [("SANCTION", "IGO", "BLR", A)]),
    ("Israel imposed a blockade on Gaza in 2007.", [("COERCE", "ISR", "PSE", A)]),
    ("China sanctioned American defence companies over arms sales to Taiwan.", [("SANCTION", "CHN", "USA", A)]),
    ("Turkish authorities jailed a Swedish journalist in Ankara.", [("COERCE", "TUR", "SWE", A)]),
    ("Saudi Arabia deported hundreds of Ethiopian migrants last month.", [("COERCE", "SAU", "ETH", A)]),
    # ASSAULT
    ("Russian missiles struck the Ukrainian city of Kharkiv overnight, killing three people.", [("ASSAULT", "RUS", "UKR", A)]),
    ("Israeli warplanes bombed targets in southern Lebanon on Tuesday.", [("ASSAULT", "ISR", "LBN", A)]),
    ("Houthi rebels fired missiles at a British tanker in the Red Sea.", [("ASSAULT", "YEM", "GBR", A)]),
    ("Pakistani forces clashed with Afghan troops at the Torkham border crossing.", [("ASSAULT", "PAK", "AFG", A)]),
    ("Sudan's Rapid Support Forces attacked the city of El Fasher on Friday.", [("ASSAULT", "SDN", "SDN", A)]),
    ("Azerbaijani forces shelled Armenian positions near the border overnight.", [("ASSAULT", "AZE", "ARM", A)]),
    ("Ukrainian drones attacked an oil refinery in the Russian region of Krasnodar.", [("ASSAULT", "UKR", "RUS", A)]),
    ("The United States conducted air strikes against Islamic State targets in Syria.", [("ASSAULT", "USA", "", A)]),
    # no event, or not asserted
    ("The weather in Geneva was mild as delegates arrived for the conference.", []),
    ("Analysts said the economy of Brazil grew by three percent last year.", []),
    ("If Iran enriches uranium beyond 60 percent, Israel could attack its facilities.", [("ASSAULT", "ISR", "IRN", H)]),
    ("Russia is expected to attack Ukraine's energy grid again this winter.", [("ASSAULT", "RUS", "UKR", F)]),
    ("Egypt will host talks between Israel and Hamas next week.", [("CONSULT", "EGY", "ISR", F)]),
]


def main() -> None:
    out = Path(__file__).with_name("wire_sentences.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for i, (text, events) in enumerate(S):
            fh.write(json.dumps({"id": f"wire_{i:03d}", "text": text, "origin": "diplokg",
                                 "events": [{"plover": p, "source": {"country": s}, "target": {"country": t},
                                             "factuality": f} for p, s, t, f in events]}) + "\n")
    print(f"{out}: {len(S)} sentences")


if __name__ == "__main__":
    main()
