// URL and URLSearchParams (WHATWG URL): the basic URL parser with state overrides (for the
// setters), special schemes, IPv4/IPv6 hosts, percent-encoding, and a URL's searchParams kept live.
// Domains: lower-cased after NFKC and encoded with punycode; UTS 46's full mapping and validity
// checks are not done.
(function () {
  "use strict";
  const internal = globalThis.__dormouseInternal;
  const { define, utf8Encode, utf8Decode } = internal;

  const FAILURE = Symbol("failure");
  const specialPorts = { ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };
  const isSpecialScheme = (scheme) => scheme in specialPorts;
  const isSpecial = (url) => isSpecialScheme(url.scheme);
  const defaultPort = (scheme) => (isSpecialScheme(scheme) ? specialPorts[scheme] : null);

  // Percent-encode sets, as predicates on a code point.
  const inChars = (chars) => (cp) => cp < 128 && chars.indexOf(String.fromCharCode(cp)) >= 0;
  const C0 = (cp) => cp < 0x20 || cp > 0x7e;
  const withChars = (set, chars) => {
    const extra = inChars(chars);
    return (cp) => set(cp) || extra(cp);
  };
  const FRAGMENT_SET = withChars(C0, ' "<>`');
  const QUERY_SET = withChars(C0, ' "#<>');
  const SPECIAL_QUERY_SET = withChars(QUERY_SET, "'");
  const PATH_SET = withChars(QUERY_SET, "?`{}");
  const USERINFO_SET = withChars(PATH_SET, "/:;=@[\\]^|");
  const COMPONENT_SET = withChars(USERINFO_SET, "$%&+,");
  const FORM_SET = withChars(COMPONENT_SET, "!'()~");

  const hex = (b) => "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
  const percentEncode = (c, set) => {
    if (!set(c.codePointAt(0))) return c;
    let out = "";
    for (const b of utf8Encode(c)) out += hex(b);
    return out;
  };
  const percentEncodeString = (s, set) => {
    let out = "";
    for (const c of s) out += percentEncode(c, set);
    return out;
  };
  const isHexDigit = (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
  // Percent-decoding of a string's UTF-8 bytes, back to bytes.
  const percentDecodeBytes = (s) => {
    const bytes = utf8Encode(s);
    const out = new Uint8Array(bytes.length);
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 37 && i + 2 < bytes.length && isHexDigit(bytes[i + 1]) && isHexDigit(bytes[i + 2])) {
        out[n++] = parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
        i += 2;
      } else {
        out[n++] = b;
      }
    }
    return out.subarray(0, n);
  };
  const toUSV = (s) =>
    String(s).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

  // --- hosts ---------------------------------------------------------------------------------
  const forbiddenHost = /[\0\t\n\r #/:<>?@[\\\]^|]/;
  const forbiddenDomain = /[\0-\x20#%/:<>?@[\\\]^|\x7f]/;

  const parseIPv4Number = (s) => {
    if (s === "") return FAILURE;
    let radix = 10;
    if (s.length >= 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
      radix = 16;
      s = s.slice(2);
    } else if (s.length >= 2 && s[0] === "0") {
      radix = 8;
      s = s.slice(1);
    }
    if (s === "") return 0;
    const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    return valid.test(s) ? parseInt(s, radix) : FAILURE;
  };
  const endsInANumber = (s) => {
    const parts = s.split(".");
    if (parts[parts.length - 1] === "") {
      if (parts.length === 1) return false;
      parts.pop();
    }
    const last = parts[parts.length - 1];
    return (last !== "" && /^[0-9]+$/.test(last)) || parseIPv4Number(last) !== FAILURE;
  };
  const parseIPv4 = (s) => {
    const parts = s.split(".");
    if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
    if (parts.length > 4) return FAILURE;
    const numbers = [];
    for (const part of parts) {
      const n = parseIPv4Number(part);
      if (n === FAILURE) return FAILURE;
      numbers.push(n);
    }
    const last = numbers.pop();
    if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return FAILURE;
    let address = last;
    numbers.forEach((n, i) => (address += n * 256 ** (3 - i)));
    const out = [];
    for (let i = 0; i < 4; i++) {
      out.unshift(String(address % 256));
      address = Math.floor(address / 256);
    }
    return out.join(".");
  };

  const parseIPv6 = (input) => {
    const address = [0, 0, 0, 0, 0, 0, 0, 0];
    let pieceIndex = 0;
    let compress = null;
    let p = 0;
    const at = (i) => input[i];
    const digit = (c) => c !== undefined && c >= "0" && c <= "9";
    if (at(p) === ":") {
      if (at(p + 1) !== ":") return FAILURE;
      p += 2;
      compress = ++pieceIndex;
    }
    while (at(p) !== undefined) {
      if (pieceIndex === 8) return FAILURE;
      if (at(p) === ":") {
        if (compress !== null) return FAILURE;
        p++;
        compress = ++pieceIndex;
        continue;
      }
      let value = 0;
      let length = 0;
      while (length < 4 && at(p) !== undefined && isHexDigit(at(p).charCodeAt(0))) {
        value = value * 16 + parseInt(at(p), 16);
        p++;
        length++;
      }
      if (at(p) === ".") {
        if (length === 0) return FAILURE;
        p -= length;
        if (pieceIndex > 6) return FAILURE;
        let numbersSeen = 0;
        while (at(p) !== undefined) {
          let piece = null;
          if (numbersSeen > 0) {
            if (at(p) === "." && numbersSeen < 4) p++;
            else return FAILURE;
          }
          if (!digit(at(p))) return FAILURE;
          while (digit(at(p))) {
            const n = Number(at(p));
            if (piece === null) piece = n;
            else if (piece === 0) return FAILURE;
            else piece = piece * 10 + n;
            if (piece > 255) return FAILURE;
            p++;
          }
          address[pieceIndex] = address[pieceIndex] * 0x100 + piece;
          numbersSeen++;
          if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
        }
        if (numbersSeen !== 4) return FAILURE;
        break;
      } else if (at(p) === ":") {
        p++;
        if (at(p) === undefined) return FAILURE;
      } else if (at(p) !== undefined) {
        return FAILURE;
      }
      address[pieceIndex++] = value;
    }
    if (compress !== null) {
      let swaps = pieceIndex - compress;
      pieceIndex = 7;
      while (pieceIndex !== 0 && swaps > 0) {
        const t = address[pieceIndex];
        address[pieceIndex] = address[compress + swaps - 1];
        address[compress + swaps - 1] = t;
        pieceIndex--;
        swaps--;
      }
    } else if (pieceIndex !== 8) {
      return FAILURE;
    }
    return address;
  };
  const serializeIPv6 = (address) => {
    let best = -1;
    let bestLength = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && address[j] === 0) j++;
      if (j - i > bestLength) {
        best = i;
        bestLength = j - i;
      }
      i = j === i ? i + 1 : j;
    }
    let out = "";
    for (let i = 0; i < 8; i++) {
      if (i === best) {
        out += i === 0 ? "::" : ":";
        i += bestLength - 1;
        continue;
      }
      out += address[i].toString(16) + (i < 7 ? ":" : "");
    }
    return out;
  };

  // RFC 3492, for the labels of a domain that are not ASCII.
  const punycode = (label) => {
    const input = Array.from(label, (c) => c.codePointAt(0));
    const digit = (d) => String.fromCharCode(d < 26 ? 97 + d : 22 + d);
    const adapt = (delta, points, first) => {
      delta = first ? Math.floor(delta / 700) : delta >> 1;
      delta += Math.floor(delta / points);
      let k = 0;
      while (delta > 455) {
        delta = Math.floor(delta / 35);
        k += 36;
      }
      return k + Math.floor((36 * delta) / (delta + 38));
    };
    let n = 128;
    let delta = 0;
    let bias = 72;
    let out = input.filter((cp) => cp < 128).map((cp) => String.fromCharCode(cp)).join("");
    const b = out.length;
    let h = b;
    if (b > 0) out += "-";
    while (h < input.length) {
      const m = Math.min(...input.filter((cp) => cp >= n));
      delta += (m - n) * (h + 1);
      n = m;
      for (const cp of input) {
        if (cp < n) delta++;
        if (cp !== n) continue;
        let q = delta;
        for (let k = 36; ; k += 36) {
          const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (36 - t)));
          q = Math.floor((q - t) / (36 - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === b);
        delta = 0;
        h++;
      }
      delta++;
      n++;
    }
    return out;
  };
  const domainToASCII = (domain) => {
    if (/^[\0-\x7f]*$/.test(domain)) return domain.toLowerCase();
    const mapped = domain
      .replace(/[\u00ad\u034f\u180b-\u180d\u200b\u2060\ufe00-\ufe0f\ufeff]/g, "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u3002\uff0e\uff61]/g, ".");
    return mapped
      .split(".")
      .map((label) => (/^[\0-\x7f]*$/.test(label) ? label : "xn--" + punycode(label)))
      .join(".");
  };

  const parseHost = (input, opaque) => {
    if (input[0] === "[") {
      if (input[input.length - 1] !== "]") return FAILURE;
      const address = parseIPv6(input.slice(1, -1));
      return address === FAILURE ? FAILURE : "[" + serializeIPv6(address) + "]";
    }
    if (opaque) {
      return forbiddenHost.test(input) ? FAILURE : percentEncodeString(input, C0);
    }
    const ascii = domainToASCII(utf8Decode(percentDecodeBytes(input)));
    if (ascii === "" || forbiddenDomain.test(ascii)) return FAILURE;
    return endsInANumber(ascii) ? parseIPv4(ascii) : ascii;
  };

  // --- the basic URL parser ----------------------------------------------------------------------
  const S = {
    SCHEME_START: 1,
    SCHEME: 2,
    NO_SCHEME: 3,
    SPECIAL_RELATIVE_OR_AUTHORITY: 4,
    PATH_OR_AUTHORITY: 5,
    RELATIVE: 6,
    RELATIVE_SLASH: 7,
    SPECIAL_AUTHORITY_SLASHES: 8,
    SPECIAL_AUTHORITY_IGNORE_SLASHES: 9,
    AUTHORITY: 10,
    HOST: 11,
    HOSTNAME: 12,
    PORT: 13,
    FILE: 14,
    FILE_SLASH: 15,
    FILE_HOST: 16,
    PATH_START: 17,
    PATH: 18,
    OPAQUE_PATH: 19,
    QUERY: 20,
    FRAGMENT: 21,
  };
  const isAlpha = (c) => c !== undefined && /^[A-Za-z]$/.test(c);
  const isWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s[0]) && (s[1] === ":" || s[1] === "|");
  const isNormalizedDriveLetter = (s) => s !== undefined && s.length === 2 && isAlpha(s[0]) && s[1] === ":";
  const startsWithDriveLetter = (cps, p) =>
    cps.length - p >= 2 &&
    isWindowsDriveLetter(cps[p] + cps[p + 1]) &&
    (cps.length - p === 2 || "/\\?#".includes(cps[p + 2]));
  const isSingleDot = (s) => s === "." || s.toLowerCase() === "%2e";
  const isDoubleDot = (s) => {
    const l = s.toLowerCase();
    return l === ".." || l === ".%2e" || l === "%2e." || l === "%2e%2e";
  };
  const shortenPath = (url) => {
    if (url.scheme === "file" && url.path.length === 1 && isNormalizedDriveLetter(url.path[0])) return;
    url.path.pop();
  };
  const record = () => ({
    scheme: "",
    username: "",
    password: "",
    host: null,
    port: null,
    path: [],
    query: null,
    fragment: null,
  });

  // Returns the URL record, or FAILURE; with a state override it changes url in place.
  const parse = (raw, base, url, override) => {
    let input = toUSV(raw);
    if (url === undefined) {
      url = record();
      input = input.replace(/^[\0-\x20]+|[\0-\x20]+$/g, "");
    }
    input = input.replace(/[\t\n\r]/g, "");
    const cps = Array.from(input);
    let state = override || S.SCHEME_START;
    let buffer = "";
    let atSignSeen = false;
    let insideBrackets = false;
    let passwordTokenSeen = false;
    const endOfAuthority = (c) =>
      c === undefined || c === "/" || c === "?" || c === "#" || (isSpecial(url) && c === "\\");
    const copyAuthority = () => {
      url.username = base.username;
      url.password = base.password;
      url.host = base.host;
      url.port = base.port;
    };
    for (let p = 0; ; p++) {
      const c = cps[p];
      switch (state) {
        case S.SCHEME_START:
          if (isAlpha(c)) {
            buffer += c.toLowerCase();
            state = S.SCHEME;
          } else if (!override) {
            state = S.NO_SCHEME;
            p--;
          } else {
            return FAILURE;
          }
          break;
        case S.SCHEME:
          if (c !== undefined && /^[A-Za-z0-9+\-.]$/.test(c)) {
            buffer += c.toLowerCase();
          } else if (c === ":") {
            if (override) {
              if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return url;
              if ((url.username || url.password || url.port !== null) && buffer === "file") return url;
              if (url.scheme === "file" && url.host === "") return url;
            }
            url.scheme = buffer;
            if (override) {
              if (url.port === defaultPort(url.scheme)) url.port = null;
              return url;
            }
            buffer = "";
            if (url.scheme === "file") {
              state = S.FILE;
            } else if (isSpecial(url) && base && base.scheme === url.scheme) {
              state = S.SPECIAL_RELATIVE_OR_AUTHORITY;
            } else if (isSpecial(url)) {
              state = S.SPECIAL_AUTHORITY_SLASHES;
            } else if (cps[p + 1] === "/") {
              state = S.PATH_OR_AUTHORITY;
              p++;
            } else {
              url.path = "";
              state = S.OPAQUE_PATH;
            }
          } else if (!override) {
            buffer = "";
            state = S.NO_SCHEME;
            p = -1;
          } else {
            return FAILURE;
          }
          break;
        case S.NO_SCHEME:
          if (!base || (typeof base.path === "string" && c !== "#")) return FAILURE;
          if (typeof base.path === "string") {
            url.scheme = base.scheme;
            url.path = base.path;
            url.query = base.query;
            url.fragment = "";
            state = S.FRAGMENT;
          } else {
            state = base.scheme === "file" ? S.FILE : S.RELATIVE;
            p--;
          }
          break;
        case S.SPECIAL_RELATIVE_OR_AUTHORITY:
          if (c === "/" && cps[p + 1] === "/") {
            state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
            p++;
          } else {
            state = S.RELATIVE;
            p--;
          }
          break;
        case S.PATH_OR_AUTHORITY:
          if (c === "/") {
            state = S.AUTHORITY;
          } else {
            state = S.PATH;
            p--;
          }
          break;
        case S.RELATIVE:
          url.scheme = base.scheme;
          if (c === "/" || (isSpecial(url) && c === "\\")) {
            state = S.RELATIVE_SLASH;
          } else {
            copyAuthority();
            url.path = base.path.slice();
            url.query = base.query;
            if (c === "?") {
              url.query = "";
              state = S.QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = S.FRAGMENT;
            } else if (c !== undefined) {
              url.query = null;
              shortenPath(url);
              state = S.PATH;
              p--;
            }
          }
          break;
        case S.RELATIVE_SLASH:
          if (isSpecial(url) && (c === "/" || c === "\\")) {
            state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          } else if (c === "/") {
            state = S.AUTHORITY;
          } else {
            copyAuthority();
            state = S.PATH;
            p--;
          }
          break;
        case S.SPECIAL_AUTHORITY_SLASHES:
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          if (c === "/" && cps[p + 1] === "/") p++;
          else p--;
          break;
        case S.SPECIAL_AUTHORITY_IGNORE_SLASHES:
          if (c !== "/" && c !== "\\") {
            state = S.AUTHORITY;
            p--;
          }
          break;
        case S.AUTHORITY:
          if (c === "@") {
            if (atSignSeen) buffer = "%40" + buffer;
            atSignSeen = true;
            for (const b of buffer) {
              if (b === ":" && !passwordTokenSeen) {
                passwordTokenSeen = true;
                continue;
              }
              if (passwordTokenSeen) url.password += percentEncode(b, USERINFO_SET);
              else url.username += percentEncode(b, USERINFO_SET);
            }
            buffer = "";
          } else if (endOfAuthority(c)) {
            if (atSignSeen && buffer === "") return FAILURE;
            p -= Array.from(buffer).length + 1;
            buffer = "";
            state = S.HOST;
          } else {
            buffer += c;
          }
          break;
        case S.HOST:
        case S.HOSTNAME:
          if (override && url.scheme === "file") {
            p--;
            state = S.FILE_HOST;
          } else if (c === ":" && !insideBrackets) {
            if (buffer === "") return FAILURE;
            if (override === S.HOSTNAME) return FAILURE;
            const host = parseHost(buffer, !isSpecial(url));
            if (host === FAILURE) return FAILURE;
            url.host = host;
            buffer = "";
            state = S.PORT;
          } else if (endOfAuthority(c)) {
            p--;
            if (isSpecial(url) && buffer === "") return FAILURE;
            if (override && buffer === "" && (url.username || url.password || url.port !== null)) {
              return FAILURE;
            }
            const host = parseHost(buffer, !isSpecial(url));
            if (host === FAILURE) return FAILURE;
            url.host = host;
            buffer = "";
            state = S.PATH_START;
            if (override) return url;
          } else {
            if (c === "[") insideBrackets = true;
            if (c === "]") insideBrackets = false;
            buffer += c;
          }
          break;
        case S.PORT:
          if (c !== undefined && c >= "0" && c <= "9") {
            buffer += c;
          } else if (endOfAuthority(c) || override) {
            if (buffer !== "") {
              const port = parseInt(buffer, 10);
              if (port > 65535) return FAILURE;
              url.port = port === defaultPort(url.scheme) ? null : port;
              buffer = "";
              if (override) return url;
            }
            if (override) return FAILURE;
            state = S.PATH_START;
            p--;
          } else {
            return FAILURE;
          }
          break;
        case S.FILE:
          url.scheme = "file";
          url.host = "";
          if (c === "/" || c === "\\") {
            state = S.FILE_SLASH;
          } else if (base && base.scheme === "file") {
            url.host = base.host;
            url.path = base.path.slice();
            url.query = base.query;
            if (c === "?") {
              url.query = "";
              state = S.QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = S.FRAGMENT;
            } else if (c !== undefined) {
              url.query = null;
              if (!startsWithDriveLetter(cps, p)) shortenPath(url);
              else url.path = [];
              state = S.PATH;
              p--;
            }
          } else {
            state = S.PATH;
            p--;
          }
          break;
        case S.FILE_SLASH:
          if (c === "/" || c === "\\") {
            state = S.FILE_HOST;
          } else {
            if (base && base.scheme === "file") {
              url.host = base.host;
              if (!startsWithDriveLetter(cps, p) && isNormalizedDriveLetter(base.path[0])) {
                url.path.push(base.path[0]);
              }
            }
            state = S.PATH;
            p--;
          }
          break;
        case S.FILE_HOST:
          if (c === undefined || "/\\?#".includes(c)) {
            p--;
            if (!override && isWindowsDriveLetter(buffer)) {
              state = S.PATH;
            } else if (buffer === "") {
              url.host = "";
              if (override) return url;
              state = S.PATH_START;
            } else {
              let host = parseHost(buffer, !isSpecial(url));
              if (host === FAILURE) return FAILURE;
              if (host === "localhost") host = "";
              url.host = host;
              if (override) return url;
              buffer = "";
              state = S.PATH_START;
            }
          } else {
            buffer += c;
          }
          break;
        case S.PATH_START:
          if (isSpecial(url)) {
            state = S.PATH;
            if (c !== "/" && c !== "\\") p--;
          } else if (!override && c === "?") {
            url.query = "";
            state = S.QUERY;
          } else if (!override && c === "#") {
            url.fragment = "";
            state = S.FRAGMENT;
          } else if (c !== undefined) {
            state = S.PATH;
            if (c !== "/") p--;
          } else if (override && url.host === null) {
            url.path.push("");
          }
          break;
        case S.PATH: {
          const slash = c === "/" || (isSpecial(url) && c === "\\");
          if (c === undefined || slash || (!override && (c === "?" || c === "#"))) {
            if (isDoubleDot(buffer)) {
              shortenPath(url);
              if (!slash) url.path.push("");
            } else if (isSingleDot(buffer)) {
              if (!slash) url.path.push("");
            } else {
              if (url.scheme === "file" && url.path.length === 0 && isWindowsDriveLetter(buffer)) {
                buffer = buffer[0] + ":";
              }
              url.path.push(buffer);
            }
            buffer = "";
            if (c === "?") {
              url.query = "";
              state = S.QUERY;
            } else if (c === "#") {
              url.fragment = "";
              state = S.FRAGMENT;
            }
          } else {
            buffer += percentEncode(c, PATH_SET);
          }
          break;
        }
        case S.OPAQUE_PATH:
          if (c === "?") {
            url.query = "";
            state = S.QUERY;
          } else if (c === "#") {
            url.fragment = "";
            state = S.FRAGMENT;
          } else if (c !== undefined) {
            url.path += percentEncode(c, C0);
          }
          break;
        case S.QUERY:
          if ((!override && c === "#") || c === undefined) {
            url.query += percentEncodeString(buffer, isSpecial(url) ? SPECIAL_QUERY_SET : QUERY_SET);
            buffer = "";
            if (c === "#") {
              url.fragment = "";
              state = S.FRAGMENT;
            }
          } else {
            buffer += c;
          }
          break;
        case S.FRAGMENT:
          if (c !== undefined) url.fragment += percentEncode(c, FRAGMENT_SET);
          break;
      }
      if (p >= cps.length) return url;
    }
  };

  const pathString = (url) =>
    typeof url.path === "string" ? url.path : url.path.length ? "/" + url.path.join("/") : "";
  const serialize = (url, excludeFragment) => {
    let out = url.scheme + ":";
    if (url.host !== null) {
      out += "//";
      if (url.username !== "" || url.password !== "") {
        out += url.username + (url.password !== "" ? ":" + url.password : "") + "@";
      }
      out += url.host + (url.port !== null ? ":" + url.port : "");
    } else if (typeof url.path !== "string" && url.path.length > 1 && url.path[0] === "") {
      out += "/.";
    }
    out += pathString(url);
    if (url.query !== null) out += "?" + url.query;
    if (!excludeFragment && url.fragment !== null) out += "#" + url.fragment;
    return out;
  };
  const origin = (url) => {
    if (url.scheme === "blob") {
      const inner = parse(pathString(url));
      return inner !== FAILURE && (inner.scheme === "http" || inner.scheme === "https")
        ? origin(inner)
        : "null";
    }
    if (isSpecial(url) && url.scheme !== "file") {
      return url.scheme + "://" + url.host + (url.port !== null ? ":" + url.port : "");
    }
    return "null";
  };

  // --- application/x-www-form-urlencoded ---------------------------------------------------------
  const formParse = (s) => {
    const list = [];
    for (const sequence of s.split("&")) {
      if (sequence === "") continue;
      const eq = sequence.indexOf("=");
      const name = eq < 0 ? sequence : sequence.slice(0, eq);
      const value = eq < 0 ? "" : sequence.slice(eq + 1);
      const decode = (x) => utf8Decode(percentDecodeBytes(x.replace(/\+/g, " ")));
      list.push([decode(name), decode(value)]);
    }
    return list;
  };
  const formEncode = (s) => {
    let out = "";
    for (const c of s) out += c === " " ? "+" : percentEncode(c, FORM_SET);
    return out;
  };
  const formSerialize = (list) =>
    list.map(([n, v]) => formEncode(n) + "=" + formEncode(v)).join("&");

  // --- URLSearchParams ---------------------------------------------------------------------------
  const params = new WeakMap();
  const paramsOf = (self) => {
    const p = params.get(self);
    if (p === undefined) throw new TypeError("Illegal invocation");
    return p;
  };
  // The URL's query follows its searchParams (the "update steps").
  const update = (p) => {
    if (p.url === null) return;
    const query = formSerialize(p.list);
    p.url.query = query === "" ? null : query;
  };

  class URLSearchParams {
    constructor(init = "") {
      const list = [];
      params.set(this, { list, url: null });
      if (init instanceof URLSearchParams) {
        for (const [n, v] of paramsOf(init).list) list.push([n, v]);
      } else if (init !== null && (typeof init === "object" || typeof init === "function")) {
        if (typeof init[Symbol.iterator] === "function") {
          for (const pair of init) {
            const items = typeof pair === "string" ? null : Array.from(pair);
            if (items === null || items.length !== 2) {
              throw new TypeError("URLSearchParams: each pair must have exactly two items");
            }
            list.push([toUSV(items[0]), toUSV(items[1])]);
          }
        } else {
          for (const k of Object.keys(init)) list.push([toUSV(k), toUSV(init[k])]);
        }
      } else {
        const s = toUSV(init);
        list.push(...formParse(s[0] === "?" ? s.slice(1) : s));
      }
    }
    get size() {
      return paramsOf(this).list.length;
    }
    append(name, value) {
      const p = paramsOf(this);
      p.list.push([toUSV(name), toUSV(value)]);
      update(p);
    }
    delete(name, value) {
      const p = paramsOf(this);
      const n = toUSV(name);
      const v = value === undefined ? undefined : toUSV(value);
      p.list = p.list.filter(([k, x]) => !(k === n && (v === undefined || x === v)));
      update(p);
    }
    get(name) {
      const n = toUSV(name);
      const found = paramsOf(this).list.find(([k]) => k === n);
      return found === undefined ? null : found[1];
    }
    getAll(name) {
      const n = toUSV(name);
      return paramsOf(this).list.filter(([k]) => k === n).map(([, v]) => v);
    }
    has(name, value) {
      const n = toUSV(name);
      const v = value === undefined ? undefined : toUSV(value);
      return paramsOf(this).list.some(([k, x]) => k === n && (v === undefined || x === v));
    }
    set(name, value) {
      const p = paramsOf(this);
      const n = toUSV(name);
      const i = p.list.findIndex(([k]) => k === n);
      if (i < 0) {
        p.list.push([n, toUSV(value)]);
      } else {
        p.list[i][1] = toUSV(value);
        p.list = p.list.filter(([k], j) => j <= i || k !== n);
      }
      update(p);
    }
    sort() {
      const p = paramsOf(this);
      // Array.prototype.sort is stable; "<" compares code units, as the spec asks.
      p.list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      update(p);
    }
    forEach(callback, thisArg) {
      const p = paramsOf(this);
      for (let i = 0; i < p.list.length; i++) callback.call(thisArg, p.list[i][1], p.list[i][0], this);
    }
    *entries() {
      const p = paramsOf(this);
      for (let i = 0; i < p.list.length; i++) yield [p.list[i][0], p.list[i][1]];
    }
    *keys() {
      for (const [n] of this.entries()) yield n;
    }
    *values() {
      for (const [, v] of this.entries()) yield v;
    }
    [Symbol.iterator]() {
      return this.entries();
    }
    toString() {
      return formSerialize(paramsOf(this).list);
    }
  }
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: "URLSearchParams" });

  // --- URL -------------------------------------------------------------------------------------
  const urls = new WeakMap();
  const urlOf = (self) => {
    const u = urls.get(self);
    if (u === undefined) throw new TypeError("Illegal invocation");
    return u;
  };
  const parseWithBase = (url, base) => {
    let baseRecord = null;
    if (base !== undefined) {
      baseRecord = parse(String(base));
      if (baseRecord === FAILURE) return FAILURE;
    }
    return parse(String(url), baseRecord);
  };
  const cannotHaveCredentials = (u) => u.host === null || u.host === "" || u.scheme === "file";
  // A setter parses into a copy, so that a failure leaves the URL as it was.
  const setWith = (self, value, state, prepare) => {
    const holder = urlOf(self);
    const copy = { ...holder.record, path: Array.isArray(holder.record.path) ? holder.record.path.slice() : holder.record.path };
    if (prepare) prepare(copy);
    if (parse(value, null, copy, state) !== FAILURE) holder.record = copy;
  };
  // The searchParams' list follows the URL's query.
  const syncParams = (holder) => {
    const q = holder.record.query;
    params.get(holder.searchParams).list = q === null ? [] : formParse(q);
  };

  class URL {
    constructor(url, base) {
      const record = parseWithBase(url, base);
      if (record === FAILURE) {
        throw new TypeError(`Invalid URL: ${String(url)}` + (base === undefined ? "" : ` (base ${base})`));
      }
      urls.set(this, { record, searchParams: null });
    }
    static canParse(url, base) {
      return parseWithBase(url, base) !== FAILURE;
    }
    static parse(url, base) {
      return URL.canParse(url, base) ? new URL(url, base) : null;
    }
    get href() {
      return serialize(urlOf(this).record);
    }
    set href(value) {
      const record = parse(String(value));
      if (record === FAILURE) throw new TypeError(`Invalid URL: ${String(value)}`);
      const holder = urlOf(this);
      holder.record = record;
      if (holder.searchParams !== null) syncParams(holder);
    }
    get origin() {
      return origin(urlOf(this).record);
    }
    get protocol() {
      return urlOf(this).record.scheme + ":";
    }
    set protocol(value) {
      setWith(this, String(value) + ":", S.SCHEME_START);
    }
    get username() {
      return urlOf(this).record.username;
    }
    set username(value) {
      const u = urlOf(this).record;
      if (!cannotHaveCredentials(u)) u.username = percentEncodeString(toUSV(value), USERINFO_SET);
    }
    get password() {
      return urlOf(this).record.password;
    }
    set password(value) {
      const u = urlOf(this).record;
      if (!cannotHaveCredentials(u)) u.password = percentEncodeString(toUSV(value), USERINFO_SET);
    }
    get host() {
      const u = urlOf(this).record;
      if (u.host === null) return "";
      return u.port === null ? u.host : u.host + ":" + u.port;
    }
    set host(value) {
      if (typeof urlOf(this).record.path !== "string") setWith(this, String(value), S.HOST);
    }
    get hostname() {
      const u = urlOf(this).record;
      return u.host === null ? "" : u.host;
    }
    set hostname(value) {
      if (typeof urlOf(this).record.path !== "string") setWith(this, String(value), S.HOSTNAME);
    }
    get port() {
      const u = urlOf(this).record;
      return u.port === null ? "" : String(u.port);
    }
    set port(value) {
      const u = urlOf(this).record;
      if (cannotHaveCredentials(u)) return;
      const s = String(value);
      if (s === "") u.port = null;
      else setWith(this, s, S.PORT);
    }
    get pathname() {
      return pathString(urlOf(this).record);
    }
    set pathname(value) {
      if (typeof urlOf(this).record.path === "string") return;
      setWith(this, String(value), S.PATH_START, (copy) => (copy.path = []));
    }
    get search() {
      const q = urlOf(this).record.query;
      return q === null || q === "" ? "" : "?" + q;
    }
    set search(value) {
      const holder = urlOf(this);
      const s = toUSV(value);
      if (s === "") holder.record.query = null;
      else setWith(this, s[0] === "?" ? s.slice(1) : s, S.QUERY, (copy) => (copy.query = ""));
      if (holder.searchParams !== null) syncParams(holder);
    }
    get searchParams() {
      const holder = urlOf(this);
      if (holder.searchParams === null) {
        // Made on first use: most URLs never have theirs read.
        holder.searchParams = new URLSearchParams();
        params.get(holder.searchParams).url = {
          get query() {
            return holder.record.query;
          },
          set query(q) {
            holder.record.query = q;
          },
        };
        syncParams(holder);
      }
      return holder.searchParams;
    }
    get hash() {
      const f = urlOf(this).record.fragment;
      return f === null || f === "" ? "" : "#" + f;
    }
    set hash(value) {
      const s = toUSV(value);
      if (s === "") urlOf(this).record.fragment = null;
      else setWith(this, s[0] === "#" ? s.slice(1) : s, S.FRAGMENT, (copy) => (copy.fragment = ""));
    }
    toString() {
      return this.href;
    }
    toJSON() {
      return this.href;
    }
  }
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: "URL" });
  internal.platform.add(URL.prototype);
  internal.platform.add(URLSearchParams.prototype);

  define(globalThis, { URL, URLSearchParams });
})();
