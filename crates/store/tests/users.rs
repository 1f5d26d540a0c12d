//! Users and sessions on both backends.

mod support;

use yici_store::{Store, StoreError, User};

fn user(name: &str) -> User {
    User {
        id: format!("id-{name}"),
        username: name.into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: "clerk".into(),
        display_name: "李四".into(),
        subject: None,
        window: Some("w-commerce".into()),
        department: None,
        region: Some("330200".into()),
    }
}

both!(user_reads_back_by_name, |store: Store| async move {
    store.create_user(&user("clerk"), 1).await.expect("create");
    let u = store
        .user_by_username("clerk")
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(u, user("clerk"));
    assert!(
        store
            .user_by_username("nobody")
            .await
            .expect("read")
            .is_none()
    );
});

both!(taken_user_name_is_a_duplicate, |store: Store| async move {
    store.create_user(&user("clerk"), 1).await.expect("create");
    let mut again = user("clerk");
    again.id = "other".into();
    let err = store.create_user(&again, 2).await.unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err}");
});

both!(
    session_finds_its_user_until_it_expires,
    |store: Store| async move {
        store.create_user(&user("clerk"), 1).await.expect("create");
        store
            .create_session("hash", "id-clerk", 100, 200)
            .await
            .expect("session");
        assert!(
            store
                .session_user("hash", 150)
                .await
                .expect("read")
                .is_some()
        );
        assert!(
            store
                .session_user("hash", 250)
                .await
                .expect("read")
                .is_none()
        );
        store.delete_session("hash").await.expect("delete");
        assert!(
            store
                .session_user("hash", 150)
                .await
                .expect("read")
                .is_none()
        );
    }
);
