"""Generate N valid MRZs (half TD1, half TD3) as JSON Lines {"lines": [...]}, seeded, with check
digits computed here (independently of kyc's generator)."""
import json
import random
import sys

W = (7, 3, 1)


def val(c):
    if c.isdigit():
        return int(c)
    if c == "<":
        return 0
    return ord(c) - 55


def cd(s):
    return str(sum(val(c) * W[i % 3] for i, c in enumerate(s)) % 10)


def pad(s, n):
    return (s + "<" * n)[:n]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    rnd = random.Random(20261128)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    alnum = letters + "0123456789"
    countries = ["CHE", "FRA", "ITA", "ESP", "NLD", "BEL", "AUT", "PRT", "SWE", "POL"]
    for i in range(n):
        sur = "".join(rnd.choice(letters) for _ in range(rnd.randint(3, 10)))
        giv = "".join(rnd.choice(letters) for _ in range(rnd.randint(3, 8)))
        num = "".join(rnd.choice(alnum) for _ in range(9))
        st = rnd.choice(countries)
        birth = f"{rnd.randint(40, 99):02d}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
        exp = f"{rnd.randint(27, 35):02d}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
        sex = rnd.choice("MF")
        if i % 2 == 0:
            l1 = pad(f"P<{st}{sur}<<{giv}", 44)
            pn = pad("".join(rnd.choice(alnum) for _ in range(rnd.randint(0, 14))), 14)
            pcd = "<" if pn == "<" * 14 else cd(pn)
            l2 = f"{num}{cd(num)}{st}{birth}{cd(birth)}{sex}{exp}{cd(exp)}{pn}{pcd}"
            l2 += cd(l2[0:10] + l2[13:20] + l2[21:43])
            lines = [l1, l2]
        else:
            l1 = pad(f"I<{st}{num}{cd(num)}", 30)
            l2 = f"{birth}{cd(birth)}{sex}{exp}{cd(exp)}{st}" + "<" * 11
            l2 += cd(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
            l3 = pad(f"{sur}<<{giv}", 30)
            lines = [l1, l2, l3]
        print(json.dumps({"lines": lines}))


if __name__ == "__main__":
    main()
