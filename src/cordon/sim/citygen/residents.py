"""Residents: age, sex, identity number, name, phone, token and special needs (CityPlan stage 3)."""

import base64
import datetime as dt

import numpy as np
from django.utils.translation import gettext as _

from cordon.core import ids
from cordon.sim import names as N
from cordon.sim.citygen.params import RATES


class Residents:
    """CityPlan's third stage (stream 3): the people of each household with their roles, ages and records."""

    def _residents(self):
        """One stream (3), drawn from in this order: roles and ages, identity numbers, names, phones, tokens, needs."""
        rng = self.rng(3)
        role, size = self._ages(rng)
        district, age_days = self._id_numbers(rng)
        self._names(rng, role, age_days)
        self._phones_and_tokens(rng)
        self._needs(rng, size)
        self.home_street = self.grid_street[self.hh_grid[self.hh]]
        self.home_district = district

    def _ages(self, rng):
        """Household roles, ages and sexes (self.hh, self.age, self.female); returns (role, household size) per person."""
        sizes = self.hh_size
        n = self.people
        hh = np.repeat(np.arange(self.n_households), sizes)
        slot = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        size = sizes[hh]
        # roles: 0 head, 1 spouse, 2 child, 3 grandparent
        u = rng.random(n)
        role = np.full(n, 2, dtype=np.int8)
        role[slot == 0] = 0
        role[(slot == 1) & (((size == 2) & (u < 0.75)) | ((size == 3) & (u < 0.9)) | (size >= 4))] = 1
        role[(slot == 3) & (((size == 4) & (u < 0.45)) | ((size >= 5) & (u < 0.6)))] = 3
        role[(slot == 4) & (size >= 5)] = 3
        hu = rng.random(self.n_households)
        hs = sizes
        head_age = np.select(
            [hs == 1, hs == 2, hs >= 5],
            [np.where(hu < 0.45, rng.uniform(20, 35, hs.size), np.where(hu < 0.70, rng.uniform(35, 60, hs.size),
                                                                        rng.uniform(60, 92, hs.size))),
             np.where(hu < 0.40, rng.uniform(22, 35, hs.size), np.where(hu < 0.65, rng.uniform(35, 55, hs.size),
                                                                        rng.uniform(55, 86, hs.size))),
             np.clip(rng.normal(38, 7, hs.size), 24, 60)],
            np.clip(rng.normal(39, 7, hs.size), 23, 66))
        h_age = head_age[hh]
        age = h_age.copy()
        spouse = role == 1
        age[spouse] = np.clip(h_age[spouse] + rng.normal(0, 3, spouse.sum()), 20, 99)
        child = role == 2
        hc = h_age[child]
        c_age = hc - np.clip(rng.normal(31, 4.5, hc.size), 21, 45)
        young = c_age < 0  # parents younger than the drawn gap: a small child
        c_age[young] = rng.random(young.sum()) * np.maximum(0.5, hc[young] - 21)
        age[child] = c_age
        gp = role == 3
        age[gp] = np.clip(h_age[gp] + rng.uniform(24, 32, gp.sum()), 0, 99)
        age = np.minimum(age, 100.5)
        head_sex_f = rng.random(self.n_households) < np.where((hs == 1) & (head_age >= 65), 0.6, 0.45)
        female = rng.random(n) < 0.49
        female[role == 0] = head_sex_f[hh[role == 0]]
        female[spouse] = ~head_sex_f[hh[spouse]]
        self.age = age
        self.female = female
        self.hh = hh
        return role, size

    def _id_numbers(self, rng):
        """Birth dates and identity numbers (district code, birth date, sequence with sex parity, check digit), unique
        by construction; returns (home district, age in days) per person."""
        n, age, female, hh = self.people, self.age, self.female, self.hh
        age_days = np.floor(age * 365.2425).astype(np.int64)
        end_ord = self.end_date.toordinal()
        birth_ord = end_ord - age_days
        # ID numbers: district code, birth date, sequence with sex parity, check digit; unique by construction.
        district = self.grid_district[self.hh_grid[hh]]
        while True:
            # The place code is the district's if it was in force in the birth year, else one that was (GB/T 2260).
            area = self._place_codes(district, birth_ord)
            key = (area * 1_000_000 + birth_ord) * 2 + female
            order = np.argsort(key, kind="stable")
            ks = key[order]
            first = np.r_[True, ks[1:] != ks[:-1]]
            gstart = np.maximum.accumulate(np.where(first, np.arange(n), 0))
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n) - gstart
            over = rank >= 500
            if not over.any():
                break
            birth_ord[over] -= 1  # a 500-births-per-day-and-sex overflow moves to the previous day
        offset = rng.integers(0, 500, n)
        goffset = np.empty(n, dtype=np.int64)
        goffset[order] = offset[order][gstart]
        seq = (rank + goffset) % 500 * 2 + (~female)
        births = [dt.date.fromordinal(o) for o in range(int(birth_ord.min()), int(birth_ord.max()) + 1)]
        bint = np.array([b.year * 10000 + b.month * 100 + b.day for b in births], dtype=np.int64)
        birth_num = bint[birth_ord - birth_ord.min()]
        digits = np.zeros((n, 17), dtype=np.int64)
        for val, width, at in ((area, 6, 0), (birth_num, 8, 6), (seq, 3, 14)):
            for j in range(width):
                digits[:, at + width - 1 - j] = (val // 10 ** j) % 10
        weights = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2))
        check = np.array(list("10X98765432"))[(digits @ weights) % 11]
        id17 = area * 10 ** 11 + birth_num * 1000 + seq
        self.id_number = np.char.add(id17.astype("U17"), check).tolist()
        self.birth_str = np.array([b.isoformat() for b in births])[birth_ord - birth_ord.min()].tolist()
        self.birth_ord = birth_ord
        return district, age_days

    def _place_codes(self, district, birth_ord):
        """Per person, the place code (as an integer) in force in the birth year for the home district."""
        year = np.array([dt.date.fromordinal(int(o)).year for o in range(int(birth_ord.min()), int(birth_ord.max()) + 1)],
                        dtype=np.int64)[birth_ord - birth_ord.min()]
        pairs, inverse = np.unique(district.astype(np.int64) * 10_000 + year, return_inverse=True)
        codes = np.array([int(ids.place_code_for(self.district_code[p // 10_000], int(p % 10_000))) for p in pairs.tolist()],
                         dtype=np.int64)
        return codes[inverse.reshape(-1)]

    def _names(self, rng, role, age_days):
        """Names: the household's surname for heads and children, own surnames for spouses and grandparents; given
        names by sex and era of birth."""
        n, female, hh = self.people, self.female, self.hh
        end_ord = self.end_date.toordinal()
        sur, sp = zip(*N.SURNAMES, strict=True)
        sur = np.array(sur)
        sp = np.array(sp) / sum(sp)
        hh_sur = rng.choice(len(sur), size=self.n_households, p=sp)
        own = rng.choice(len(sur), size=n, p=sp)
        surname_i = np.where((role == 0) | (role == 2), hh_sur[hh], own)
        year = (end_ord - age_days) / 365.2425 + 1
        era = np.where(year < 1965, 0, np.where(year < 1995, 1, 2))
        given = np.empty(n, dtype="U2")
        two = rng.random(n) < np.where(era == 0, 0.55, np.where(era == 1, 0.6, 0.8))
        for sex in ("M", "F"):
            for e in range(3):
                pool = np.array(list(N.GIVEN[(sex, e)]))
                mask = (female == (sex == "F")) & (era == e)
                m = int(mask.sum())
                first = pool[rng.integers(0, len(pool), m)]
                second = pool[rng.integers(0, len(pool), m)]
                given[mask] = np.where(two[mask], np.char.add(first, second), first)
        self.name = np.char.add(sur[surname_i], given).tolist()
        self.sex = np.where(female, "F", "M").tolist()

    def _phones_and_tokens(self, rng):
        n, age = self.people, self.age
        prefixes = np.array([130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158,
                             159, 166, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 193, 195, 198, 199])
        phone = prefixes[rng.integers(0, len(prefixes), n)] * 10 ** 8 + rng.integers(0, 10 ** 8, n)
        for _unused in range(20):
            _unused, first_at = np.unique(phone, return_index=True)
            dup = np.ones(n, dtype=bool)
            dup[first_at] = False
            if not dup.any():
                break
            phone[dup] = prefixes[rng.integers(0, len(prefixes), int(dup.sum()))] * 10 ** 8 + rng.integers(0, 10 ** 8, int(dup.sum()))
        has_phone = (age >= 12) & ~((age >= 80) & (rng.random(n) < 0.3))
        self.phone = np.where(has_phone, phone.astype("U11"), "").tolist()

        raw = rng.integers(0, 256, size=(n, 18), dtype=np.uint8).tobytes()
        enc = base64.urlsafe_b64encode(raw).decode("ascii")
        self.token = [enc[i:i + 24] for i in range(0, 24 * n, 24)]
        if len(set(self.token)) != n:  # pragma: no cover - 144 random bits
            raise AssertionError(_("token collision"))

    def _needs(self, rng, size):
        """Special needs: elderly living alone, pregnancy, dialysis, chronic illness, disability, infants."""
        n, age, female = self.people, self.age, self.female
        r = rng.random((6, n))
        alone = size == 1
        self.elderly_alone = alone & (age >= 65) & (r[0] < RATES["elderly_alone"])
        self.pregnant = female & (age >= 20) & (age < 40) & (r[1] < RATES["pregnant"])
        adults = age >= 18
        self.dialysis = adults & (r[2] < RATES["dialysis"] * n / max(1, adults.sum()))
        self.chronic = np.where(age > 60, r[3] < RATES["chronic_60"], adults & (r[3] < RATES["chronic_adult"]))
        self.disability = r[4] < np.where(age >= 60, RATES["disability_old"], RATES["disability_young"])
        self.infant = age < 1
