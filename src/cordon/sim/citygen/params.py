"""The synthetic city's parameters: household sizes, the region tree's sizes, the rates of special needs,
venue kinds with their numbers, capacities and sub-venue units, work and leisure habits."""

import numpy as np

from cordon.venues.models import DEFAULT_DWELL_MINUTES

DAYS = 14
CITY_RECT = (121.0, 31.0, 121.9, 31.5)  # lon0, lat0, lon1, lat1

# China 2020 census household sizes 1..7 (5+ split 6/3/2).
HOUSEHOLD_SIZE_P = (0.25, 0.30, 0.21, 0.13, 0.06, 0.03, 0.02)
STREET_HOUSEHOLDS = {False: 4000, True: 3000}   # target households per street / township
COMMUNITY_HOUSEHOLDS = {False: 1000, True: 400}  # per community / village
GRID_HOUSEHOLDS = 300

RATES = {
    "elderly_alone": 0.16,    # of people 65+ living alone: registered as needing care (~3% of 65+)
    "pregnant": 0.01,         # of women 20-40
    "dialysis": 0.0005,       # of everyone, adults only
    "chronic_60": 0.15,       # of people over 60
    "chronic_adult": 0.03,    # of people 18-60
    "disability_young": 0.035,
    "disability_old": 0.15,   # 60+; about 6% overall
    "separate_room": 0.6,
}

KINDS = ("market", "supermarket", "restaurant", "office", "school", "factory", "gym", "ktv", "cinema",
         "hospital", "station", "bus", "mall", "hotel")
K = {k: i for i, k in enumerate(KINDS)}
# Venues per resident, and the urban/rural placement factor.
VENUE_RATE = {
    "market": 1 / 10_000, "supermarket": 1 / 3_000, "restaurant": 1 / 330, "office": 1 / 420, "school": 1 / 2_500,
    "factory": 1 / 2_000, "gym": 1 / 5_000, "ktv": 1 / 10_000, "cinema": 1 / 20_000, "hospital": 1 / 12_000,
    "station": 1 / 12_000, "bus": 1 / 1_000, "mall": 1 / 25_000, "hotel": 1 / 5_000,
}
VENUE_RURAL_FACTOR = {"office": 0.25, "factory": 3.0, "mall": 0.3, "cinema": 0.4, "ktv": 0.6, "gym": 0.4,
                      "hotel": 0.6, "market": 1.3, "station": 0.8}
CAPACITY = {
    "market": (300, 800), "supermarket": (150, 600), "restaurant": (30, 150), "office": (200, 2000),
    "school": (500, 2500), "factory": (200, 1500), "gym": (50, 200), "ktv": (50, 300), "cinema": (200, 1000),
    "hospital": (300, 3000), "station": (500, 5000), "bus": (40, 80), "mall": (1000, 8000), "hotel": (100, 500),
}
# Where workers work (share of the employed).
WORK_KIND_P = {"office": 0.40, "factory": 0.22, "restaurant": 0.08, "supermarket": 0.04, "market": 0.03,
               "mall": 0.04, "school": 0.04, "hospital": 0.04, "hotel": 0.03, "station": 0.02, "bus": 0.03,
               "gym": 0.01, "ktv": 0.01, "cinema": 0.01}
# Mean local start hour of a shift, and the share who also work on a weekend day.
WORK_START = {"office": 8.7, "factory": 7.8, "restaurant": 10.0, "supermarket": 8.0, "market": 5.5, "mall": 9.5,
              "school": 7.4, "hospital": 7.8, "hotel": 8.5, "station": 6.5, "bus": 6.0, "gym": 9.0, "ktv": 16.0,
              "cinema": 11.0}
WEEKEND_WORK = {"office": 0.08, "school": 0.03, "factory": 0.35}
SHIFT_MINUTES = 480
# Spaces inside workplaces (sub-venue units): who shares a class, floor, workshop or department.
# kind -> (unit kind, people per unit, name pattern); school pupils are grouped by grade first.
UNIT_PLAN = {
    "school": ("class", 45, "{grade}{n}班"),
    "office": ("room", 15, "{floor}层{floor}{room:02d}室"),
    "factory": ("workshop", 30, "{n}号车间{team}班组"),
    "hospital": ("department", 20, "{dept}"),
}
# Visitors' spaces: a restaurant's dining areas and private rooms, a cinema's halls, a KTV's rooms, a gym's
# zones. kind -> (people per unit at capacity, name pattern); a visit is seated in one of them at random.
VISIT_UNITS = {
    "restaurant": (20, "{hall}"),
    "cinema": (150, "{n}号厅"),
    "ktv": (8, "{n}号包厢"),
    "gym": (40, "{zone}"),
}
DINING = ["大厅A区", "大厅B区", "大厅C区", "大厅D区"]
GYM_ZONES = ["器械区", "有氧区", "操课房", "动感单车房", "瑜伽室", "泳池"]
SCHOOL_STAFF_UNIT = 25  # teachers per staff room
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三", "高一", "高二", "高三"]
DEPARTMENTS = ["内科", "外科", "儿科", "急诊科", "妇产科", "检验科", "放射科", "发热门诊", "骨科", "眼科", "口腔科",
               "皮肤科", "康复科", "药剂科", "行政后勤", "感染科", "五官科", "中医科", "心内科", "神经内科"]
ESTIMATED_SHARE = 0.3


DWELL = np.array([DEFAULT_DWELL_MINUTES[k] for k in KINDS], dtype=float)
WORK_START_ARR = np.array([WORK_START[k] for k in KINDS] + [8.0])
LEISURE = (
    # kind, [age from, to), p weekday, p weekend, mean hour, sd hours
    ("mall", (6, 76), 0.035, 0.16, 15.0, 2.5),
    ("gym", (16, 56), 0.05, 0.07, 19.5, 1.2),
    ("ktv", (18, 46), 0.006, 0.035, 20.5, 1.0),
    ("cinema", (6, 66), 0.008, 0.04, 19.0, 2.5),
    ("hotel", (18, 80), 0.001, 0.002, 15.0, 3.0),
)
