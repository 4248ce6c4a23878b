package com.domainautomation.clients;

/** Who is calling: the admin, or one client (with its id). */
public record Principal(String role, String clientId) {
    public static final String ADMIN = "admin";
    public static final String CLIENT = "client";

    public boolean isAdmin() {
        return ADMIN.equals(role);
    }
}
