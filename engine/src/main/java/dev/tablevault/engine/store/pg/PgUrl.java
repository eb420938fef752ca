package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A vault's PostgreSQL address: {@code postgresql://user[:password]@host[:port]/database[?params]} (what
 * {@code tv --vault} takes; {@code postgres://} too) or a {@code jdbc:postgresql://} URL. Keeps the password apart
 * so that {@link #location()} can name the vault in messages without it.
 */
record PgUrl(String jdbcUrl, String user, String password, String location) {
    private static final String JDBC = "jdbc:postgresql://";

    static PgUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw bad(url, "it is empty");
        }
        if (url.startsWith(JDBC)) {
            return new PgUrl(url, null, null, withoutPasswordParam(url));
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw bad(url, "it starts with neither postgresql:// nor jdbc:postgresql://");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw bad(url, e.getMessage());
        }
        if (uri.getHost() == null) {
            throw bad(url, "it names no host");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String hostPort = (uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                : uri.getHost()) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = JDBC + hostPort + path + query;
        String location = "postgresql://" + (user == null ? "" : user + "@") + hostPort + path
                + withoutPasswordParam(query);
        return new PgUrl(jdbc, user, password, location);
    }

    /** {@code url} without a {@code password=} query parameter. */
    private static String withoutPasswordParam(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        List<String> kept = new ArrayList<>();
        for (String p : url.substring(q + 1).split("&")) {
            if (!p.isEmpty() && !p.toLowerCase(Locale.ROOT).startsWith("password=")) {
                kept.add(p);
            }
        }
        return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static TvArgumentException bad(String url, String why) {
        String shown = url == null ? "null" : withoutPasswordParam(url).replaceAll("//([^:/@]*):[^@/]*@", "//$1@");
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "bad PostgreSQL URL " + shown + ": " + why
                + "; give postgresql://user[:password]@host[:port]/database or jdbc:postgresql://host/database");
    }
}
