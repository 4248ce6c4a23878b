package com.domainautomation.clients;

/** Who is calling: the admin, a viewer (the admin's reads only: {@code VIEWER_TOKEN}), or one client (with its id). */
public record Principal(String role, String clientId) {
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    public static final String CLIENT = "client";

    public boolean isAdmin() {
        return ADMIN.equals(role);
    }

    public boolean isViewer() {
        return VIEWER.equals(role);
    }
}
